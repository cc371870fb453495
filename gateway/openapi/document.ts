/**
 * Builds the OpenAPI 3.1 document from the described routes: one operation per route, its
 * parameters and bodies converted from the very zod schemas that validate them, every example
 * checked against its schema, the problem responses, headers and security every operation shares.
 *
 * @example const document = buildOpenApiDocument(allRoutes);
 */
import { OpenApiBuilder, type OpenAPIObject, type OperationObject, type ParameterObject, type ReferenceObject, type ResponseObject, type SchemaObject } from 'openapi3-ts/oas31';
import { z } from 'zod';
import { HEADERS, ProblemSchema } from './common.js';
import { requestSchemas, responseSchemas } from './registry.js';
import type { DescribedRoute, ProblemStatus, Refusals, ResponseSpec } from './route.js';
import { PROBLEM_RESPONSES, HEADER_COMPONENTS, API_DESCRIPTION, TAGS } from './document-parts.js';

type Io = 'input' | 'output';
type JsonSchema = Record<string, unknown>;

const FORMATS_WITH_NOISY_PATTERNS = new Set(['date-time', 'date', 'uuid', 'email', 'uri']);

/** Keeps the generated JSON Schema readable: formats without zod's long regexes; open response objects. */
function tidy(io: Io) {
  return ({ jsonSchema }: { jsonSchema: JsonSchema }) => {
    if (typeof jsonSchema.format === 'string' && FORMATS_WITH_NOISY_PATTERNS.has(jsonSchema.format)) delete jsonSchema.pattern;
    // Responses may gain fields over time: clients must ignore the ones they do not know.
    if (io === 'output' && jsonSchema.additionalProperties === false) delete jsonSchema.additionalProperties;
  };
}

const ref = (id: string): ReferenceObject => ({ $ref: `#/components/schemas/${id}` });

/** The headers every problem response carries: the signature and the request id. */
const PROBLEM_HEADERS = { [HEADERS.signature]: { $ref: `#/components/headers/${HEADERS.signature}` }, [HEADERS.requestId]: { $ref: `#/components/headers/${HEADERS.requestId}` } };

function strip(schema: JsonSchema): SchemaObject {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest as SchemaObject;
}

/** The named schemas of one side, as `components.schemas`. */
function componentSchemas(registry: typeof requestSchemas, io: Io): Record<string, SchemaObject> {
  const { schemas } = z.toJSONSchema(registry, { io, unrepresentable: 'any', uri: (id) => `#/components/schemas/${id}`, override: tidy(io) });
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, strip(schema as JsonSchema)]));
}

/** A schema as the document shows it: a reference when named, inline otherwise. */
function schemaOf(schema: z.ZodType, io: Io): SchemaObject | ReferenceObject {
  const named = (io === 'input' ? requestSchemas : responseSchemas).get(schema);
  if (named) return ref(named.id);
  return strip(z.toJSONSchema(schema, { io, unrepresentable: 'any', override: tidy(io) }) as JsonSchema);
}

/** Path or query parameters from a zod object: one parameter per property. */
function parametersOf(schema: z.ZodObject | undefined, where: 'path' | 'query'): ParameterObject[] {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', override: tidy('input') }) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, examples, ...rest } = property as { description?: string; examples?: unknown[] };
    return {
      name, in: where, required: where === 'path' || (json.required ?? []).includes(name),
      ...(description ? { description } : {}), schema: rest as SchemaObject, ...(examples?.length ? { example: examples[0] } : {}),
    };
  });
}

function check(what: string, schema: z.ZodType, example: unknown): void {
  const parsed = schema.safeParse(example);
  if (!parsed.success) {
    throw new Error(`${what}: the example does not match its schema: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
}

/** The problem statuses an operation can answer: inferred from its inputs and access, plus the declared ones. */
function problemStatuses(route: DescribedRoute): ProblemStatus[] {
  const { access, request = {}, path, problems = [] } = route.spec;
  const statuses = new Set<ProblemStatus>(problems);
  if (request.params || request.query || request.body) statuses.add(400);
  if (access !== 'public') statuses.add(401);
  if (Array.isArray(access)) statuses.add(403);
  if (path.includes('{')) statuses.add(404);
  // Every path is rate limited: /v1 by the caller, the rest (health, metrics, callbacks) by address.
  statuses.add(429);
  // An Idempotency-Key used for another request, or whose first request is still running.
  if (route.spec.method === 'post' && access !== 'registry' && route.spec.idempotency !== false) statuses.add(409);
  return [...statuses].sort();
}

function responseOf(route: DescribedRoute, status: string, spec: ResponseSpec): ResponseObject {
  const headers: Record<string, ReferenceObject> = {
    [HEADERS.signature]: { $ref: `#/components/headers/${HEADERS.signature}` },
    [HEADERS.requestId]: { $ref: `#/components/headers/${HEADERS.requestId}` },
  };
  if (route.spec.path.startsWith('/v1/')) {
    for (const name of [HEADERS.rateLimit, HEADERS.rateLimitPolicy]) headers[name] = { $ref: `#/components/headers/${name}` };
  }
  for (const name of spec.headers ?? []) headers[name] = { $ref: `#/components/headers/${name}` };
  const response: ResponseObject = { description: spec.description, headers };
  if (spec.binary) {
    response.content = Object.fromEntries(spec.binary.map((type) => [type, { schema: { type: 'string', format: 'binary' } }]));
  } else if (spec.schema) {
    if (spec.example !== undefined) check(`${route.spec.operationId} ${status}`, spec.schema, spec.example);
    const mediaType = spec.mediaType ?? 'application/json';
    response.content = { [mediaType]: { schema: schemaOf(spec.schema, 'output'), ...(spec.example !== undefined ? { example: spec.example } : {}) } };
  }
  return response;
}

function operationOf(route: DescribedRoute): OperationObject {
  const { spec } = route;
  const { request = {}, access } = spec;
  const parameters: (ParameterObject | ReferenceObject)[] = [...parametersOf(request.params, 'path'), ...parametersOf(request.query, 'query')];
  for (const header of request.headers ?? []) {
    parameters.push({ name: header.name, in: 'header', required: header.required, description: header.description, schema: { type: 'string' }, ...(header.example ? { example: header.example } : {}) });
  }
  if (spec.method === 'post' && spec.idempotency !== false) parameters.push({ $ref: access === 'registry' ? '#/components/parameters/IdempotencyKeyOptional' : '#/components/parameters/IdempotencyKey' });
  parameters.push({ $ref: '#/components/parameters/RequestId' });

  const operation: OperationObject = {
    operationId: spec.operationId, summary: spec.summary, tags: [...spec.tags],
    ...(spec.description ? { description: spec.description } : {}),
    ...(spec.summaryFa ? { 'x-summary-fa': spec.summaryFa } : {}),
    'x-roles': typeof access === 'string' ? [access] : [...access],
    security: Array.isArray(access) ? [{ bearerAuth: [] }] : [],
    parameters,
    responses: {},
    ...(spec.deprecated ? { deprecated: true } : {}),
  };
  if (request.body) {
    const { schema, description } = request.body;
    const example = typeof request.body.example === 'function' ? (request.body.example as () => unknown)() : request.body.example;
    check(`${spec.operationId} request`, schema, example);
    operation.requestBody = {
      required: true, ...(description ? { description } : {}),
      content: { 'application/json': { schema: schemaOf(schema, 'input'), example } },
    };
  }
  const responses: Record<string, ResponseObject | ReferenceObject> = {};
  for (const [status, response] of Object.entries(spec.responses)) responses[status] = responseOf(route, status, response as ResponseSpec);
  for (const status of problemStatuses(route)) responses[String(status)] = { $ref: `#/components/responses/${PROBLEM_RESPONSES[status].name}` };
  if (spec.refusals) responses['422'] = refusalResponse(spec.operationId, spec.refusals);
  return { ...operation, responses };
}

/** The 422 of an operation whose request a definition's rules may refuse: `reason` is one of its codes. */
function refusalResponse(operationId: string, { reasons, example, type = 'change-refused', description }: Refusals): ResponseObject {
  const problem = { type: `https://parvaneh.example/problems/${type}`, status: 422, ...example, requestId: '0f8e2b1c-5d4a-4e3b-9c2d-1a0b9c8d7e6f' };
  check(`${operationId} 422`, ProblemSchema, problem);
  if (!reasons.includes(example.reason)) throw new Error(`${operationId} 422: the example's reason ${example.reason} is not among its reasons`);
  return {
    description: (description ?? 'The rules of the change\'s definition refuse the request as it stands, judged on submission: nothing was started or written.')
      + ` \`type\` is \`${type}\`; \`reason\` is the rule's code (${reasons.map((r) => `\`${r}\``).join(', ')}), \`title\` and `
      + '`title_fa` its message, `field` the input it judged, if any.',
    headers: PROBLEM_HEADERS,
    content: {
      'application/problem+json': {
        schema: { allOf: [ref('Problem'), { type: 'object', required: ['reason'], properties: { reason: { type: 'string', enum: [...reasons] } } }] },
        example: problem,
      },
    },
  };
}

export interface DocumentOptions {
  version?: string;
  servers?: { url: string; description?: string }[];
}

/** The whole document; throws when two routes collide or an example does not match its schema. */
export function buildOpenApiDocument(routes: readonly DescribedRoute[], options: DocumentOptions = {}): OpenAPIObject {
  const builder = OpenApiBuilder.create({
    openapi: '3.1.0',
    info: {
      title: 'Parvaneh API', version: options.version ?? '1.0.0', description: API_DESCRIPTION,
      license: { name: 'Proprietary: Government of Iran', identifier: 'LicenseRef-Proprietary' },
      contact: { name: 'Parvaneh integration support' },
    },
    servers: options.servers ?? [{ url: 'http://127.0.0.1:8080', description: 'Local: `npm start` (sandbox registries, development tokens)' }],
    paths: {}, components: {}, tags: TAGS, security: [{ bearerAuth: [] }],
  });
  builder.addSecurityScheme('bearerAuth', {
    type: 'http', scheme: 'bearer', bearerFormat: 'JWT',
    description: 'A JWT from a trusted issuer (audience `parvaneh-api`) naming a `role`: `portal`, `county-office` (with `county` and `province`), `province-office` (with `province`), `national-office` (the organisation\'s headquarters: national supervision), `integrator` or `exam-organiser` (reports a call\'s exam scores). Each operation lists its roles in `x-roles`.',
  });
  for (const [name, header] of Object.entries(HEADER_COMPONENTS)) builder.addHeader(name, header);
  builder.addParameter('IdempotencyKey', {
    name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string', pattern: '^[\\x20-\\x7e]{1,255}$' },
    description: 'A fresh random value (a UUID; 1 to 255 printable ASCII characters) per intended change. A retry with the same key and body replays the first, signed response; the same key with a different body is refused (409).',
    example: '7d9c6b1e-2f4a-4c8e-9b3d-5a6f7e8d9c0b',
  });
  builder.addParameter('IdempotencyKeyOptional', {
    name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', pattern: '^[\\x20-\\x7e]{1,255}$' },
    description: 'Optional for registry callbacks: a repeated answer for the same inquiry is already harmless.',
  });
  builder.addParameter('RequestId', {
    name: 'x-request-id', in: 'header', required: false, schema: { type: 'string' },
    description: 'Your id for this request, echoed in the response and bound into its signature (`rid`): 1 to 255 characters of letters, digits, `_`, `-` and `=`. Generated when absent, and in place of any other value (the request is not refused for it, so check `rid`).',
  });
  for (const [status, { name, description, example }] of Object.entries(PROBLEM_RESPONSES)) {
    builder.addResponse(name, {
      description,
      headers: PROBLEM_HEADERS,
      content: { 'application/problem+json': { schema: ref('Problem'), example: { ...example, status: Number(status) } } },
    });
    check(`problem ${status}`, ProblemSchema, { ...example, status: Number(status) });
  }
  const requestSide = componentSchemas(requestSchemas, 'input');
  const responseSide = componentSchemas(responseSchemas, 'output');
  for (const [id, schema] of Object.entries({ ...requestSide, ...responseSide })) builder.addSchema(id, schema);

  const seen = new Set<string>();
  for (const route of routes) {
    const { method, path, operationId } = route.spec;
    for (const key of [`${method} ${path}`, operationId]) {
      if (seen.has(key)) throw new Error(`two routes are described as ${key}`);
      seen.add(key);
    }
    builder.addPath(path, { [method]: operationOf(route) });
  }
  return builder.getSpec();
}
