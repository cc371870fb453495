/**
 * `npm run validate -- <file>…`: checks definitions; prints `file:line:column: message` for each
 * problem and exits 1 when there is any. Without arguments, checks every file under processes/.
 */
import { readFileSync } from 'node:fs';
import { checkSource, definitionFiles } from '../load.js';
import { formatDiagnostic } from '../diagnostics.js';
import { loadLaw } from '../law.js';
import { parseDefinition } from '../parse.js';

const files = process.argv.slice(2).length > 0 ? process.argv.slice(2) : definitionFiles('processes');
const sources = files.map((file) => ({ file, source: readFileSync(file, 'utf8') }));
// Subprocess references resolve against the shipped processes plus the files being checked.
const definitions = [...definitionFiles('processes').map((file) => ({ file, source: readFileSync(file, 'utf8') })), ...sources]
  .flatMap(({ file, source }) => parseDefinition(source, file).definition ?? []);
const known = new Set(definitions.map((d) => d.id));
const kinds = new Map(definitions.map((d) => [d.id, d.kind]));
const law = loadLaw();
let failed = 0;
for (const { file, source } of sources) {
  const { loaded, diagnostics } = checkSource(source, file, known, kinds, law);
  for (const d of diagnostics) console.log(formatDiagnostic(d));
  if (loaded) console.log(`${file}: ok (${loaded.definition.id} v${loaded.definition.version}, ${loaded.hash.slice(0, 12)})`);
  else failed += 1;
}
process.exitCode = failed > 0 ? 1 : 0;
