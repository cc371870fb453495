/** `npm run dsl:schema`: writes the JSON Schema of the language, generated from `schema.ts`. */
import { writeFileSync } from 'node:fs';
import { jsonSchemaText } from '../json-schema.js';

writeFileSync('dsl/process.schema.json', jsonSchemaText());
console.log('wrote dsl/process.schema.json');
