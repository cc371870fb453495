/**
 * `npm run rules`: writes docs/rules.md (the law, rule by rule, and the assumptions apart), prints
 * the counts, and exits 1 listing what is wrong: a quote not in its source, a rule nobody carries
 * out or no test names, a test naming an unwritten rule, an assumption nobody cites.
 * `npm run rules -- --check` writes nothing and fails when docs/rules.md is not current.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadLaw } from '../law.js';
import { buildLawTable, readSources, ruleTests } from '../law-table.js';
import { loadDefinitions } from '../load.js';

const OUT = 'docs/rules.md';
const law = loadLaw();
const table = buildLawTable({ law, definitions: loadDefinitions('processes', law), tests: ruleTests('.'), sources: readSources() });
const check = process.argv.includes('--check');
const current = (() => { try { return readFileSync(OUT, 'utf8'); } catch { return ''; } })();
if (!check) writeFileSync(OUT, table.markdown);
const { rules, open, seedNumbers, assumptions, tests } = table.counts;
console.log(`${rules} rules (${seedNumbers} giving a number, ${open} open), ${assumptions} assumptions, ${tests} tests naming rules${check ? '' : `: ${OUT} written`}`);
for (const problem of table.problems) console.log(`problem: ${problem}`);
if (check && current !== table.markdown) console.log(`problem: ${OUT} is not current: run npm run rules`);
process.exitCode = table.problems.length > 0 || (check && current !== table.markdown) ? 1 : 0;
