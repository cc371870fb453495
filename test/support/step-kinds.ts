/**
 * A one-file process around the steps a step kind's unit test is about: parsed, validated and
 * drawn as the loader does, with no server.
 * @example const { definition, codes } = sampleProcess({ first: { type: 'end', outcome: 'approved', reason: 'OK' } });
 */
import { expect } from 'vitest';
import { stringify } from 'yaml';
import { toMermaid } from '../../dsl/diagram.js';
import { edgesOf } from '../../dsl/graph.js';
import { checkSource } from '../../dsl/load.js';
import type { ProcessDefinition } from '../../dsl/schema.js';

/** The steps' process, its diagnostics' codes (`code@line:column`), and its diagram when it is valid. */
export function sampleProcess(steps: Record<string, unknown>, fields: Record<string, unknown> = {}) {
  const source = stringify({
    id: 'sample', version: 1, effectiveFrom: '1404/01/01', title: { fa: 'نمونه', en: 'sample' },
    start: Object.keys(steps)[0], ...fields, steps,
  });
  const { loaded, diagnostics } = checkSource(source, 'sample.yaml', new Set(['child']));
  const definition: ProcessDefinition | undefined = loaded?.definition;
  return {
    definition,
    codes: diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`),
    diagram: definition ? toMermaid(definition) : '',
    edges: (id: string) => (definition ? edgesOf(id, definition.steps[id]!).map((e) => `${e.kind}:${e.to}`) : []),
  };
}

/**
 * Matches one diagnostic of `code` (at any line and column) among a sample's codes.
 * @example expect(sampleProcess(steps).codes).toEqual([diagnostic('missing-next')]);
 */
export const diagnostic = (code: string) => expect.stringMatching(new RegExp(`^${code}@\\d+:\\d+$`));

/** The usual ends of a sample: `done` (approved) and `refused` (rejected). */
export const done = { type: 'end', outcome: 'approved', reason: 'DONE' };
export const refused = { type: 'end', outcome: 'rejected', reason: 'REFUSED' };
