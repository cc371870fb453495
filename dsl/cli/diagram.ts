/** `npm run diagram -- <file>`: prints the Mermaid flowchart of a definition. */
import { readFileSync } from 'node:fs';
import { checkSource } from '../load.js';
import { formatDiagnostic } from '../diagnostics.js';
import { toMermaid } from '../diagram.js';

const [file] = process.argv.slice(2);
if (!file) {
  console.error('usage: npm run diagram -- <file.yaml>');
  process.exit(2);
}
const { loaded, diagnostics } = checkSource(readFileSync(file, 'utf8'), file);
if (!loaded) {
  for (const d of diagnostics) console.error(formatDiagnostic(d));
  process.exit(1);
}
process.stdout.write(toMermaid(loaded.definition));
