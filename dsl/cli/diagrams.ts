/**
 * `npm run diagrams`: writes the Mermaid diagram of every process file to
 * `docs/processes/<id>-v<version>.mmd`; `--check` fails when a committed diagram is stale.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toMermaid } from '../diagram.js';
import { loadDefinitions } from '../load.js';

const check = process.argv.includes('--check');
let stale = 0;
for (const { definition } of loadDefinitions('processes')) {
  const path = join('docs/processes', `${definition.id}-v${definition.version}.mmd`);
  const mermaid = toMermaid(definition);
  if (check) {
    if (!existsSync(path) || readFileSync(path, 'utf8') !== mermaid) {
      console.error(`${path} does not match its definition: run npm run diagrams`);
      stale += 1;
    }
  } else {
    writeFileSync(path, mermaid);
    console.log(`wrote ${path}`);
  }
}
process.exitCode = stale > 0 ? 1 : 0;
