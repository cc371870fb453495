/**
 * Named schemas: a zod schema given a name here becomes `#/components/schemas/<name>` in the
 * OpenAPI document and is referenced, not repeated. Request schemas are described as clients
 * send them (zod's input side: Persian digits allowed, defaults optional); response schemas as
 * the gateway sends them (the output side: ISO dates, normalised values).
 *
 * @example const Licence = responseSchema('Licence', z.object({ number: z.string() }));
 */
import { z } from 'zod';

export interface SchemaMeta {
  id: string;
}

export const requestSchemas = z.registry<SchemaMeta>();
export const responseSchemas = z.registry<SchemaMeta>();

function named<S extends z.ZodType>(registry: typeof requestSchemas, other: typeof requestSchemas, id: string, schema: S): S {
  for (const r of [registry, other]) {
    const taken = r._idmap.get(id);
    if (taken && taken !== schema) throw new Error(`schema name ${id} is already taken`);
  }
  if (!registry.has(schema)) registry.add(schema, { id });
  return schema;
}

/** Names a schema that clients send (a request body or part of one). */
export function requestSchema<S extends z.ZodType>(id: string, schema: S): S {
  return named(requestSchemas, responseSchemas, id, schema);
}

/** Names a schema the gateway answers with (a response body or part of one). */
export function responseSchema<S extends z.ZodType>(id: string, schema: S): S {
  return named(responseSchemas, requestSchemas, id, schema);
}
