import { z } from 'zod';
import { ProcessDefinition } from './schema.js';

/** The published JSON Schema of a licence-process file, for editors and integrators. */
export function jsonSchemaText(): string {
  const schema = z.toJSONSchema(ProcessDefinition, { io: 'input' });
  return `${JSON.stringify({ ...schema, $id: 'https://parvaneh.example/schemas/process.schema.json', title: 'Parvaneh licence process' }, null, 2)}\n`;
}
