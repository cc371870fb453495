/**
 * GET /v1/licence-types/{typeId}/graph (the officers' console draws the process from it, issue 14),
 * through the real gateway over HTTP: the welfare services centre's v4 graph holds every step of the
 * definition and exactly the edges the definition writes, a parallel step's branches meeting at its
 * join; an unknown type or version answers 404 problem+json.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefinitions } from '../dsl/load.js';
import type { Step, Text } from '../dsl/schema.js';
import { api } from './support/api.js';
import { startHarness, type Harness } from './support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ startWorker: false });
}, 120_000);
afterAll(async () => h?.close());

type Node = { id: string; kind: string; shape: string; title: Text; detail: Text | string | null; role: string | null };
type Edge = { from: string; to: string; label: Text | null; kind: string };
type Graph = { typeId: string; version: number; nodes: Node[]; edges: Edge[]; start: string };

const v4 = loadDefinitions('processes').find((d) => d.definition.id === 'welfare-services-centre' && d.definition.version === 4)!.definition;

/** What a step writes that leads elsewhere, read from its fields as the process file has them. */
function written(id: string, step: Step): Edge[] {
  const s = step as Record<string, unknown> & { outcomes?: Record<string, { title: Text; next?: string }>; cases?: { when: string; next?: string }[] };
  const out: Edge[] = [];
  const add = (to: unknown, kind: string, label: Text | null = null) => {
    if (typeof to === 'string') out.push({ from: id, to, label, kind });
  };
  add(s.next, 'next');
  for (const o of Object.values(s.outcomes ?? {})) add(o.next, 'outcome', o.title);
  for (const c of s.cases ?? []) add(c.next, 'case', { fa: c.when, en: c.when });
  add(s.otherwise, 'otherwise');
  add(s.late, 'late');
  return out;
}

/** A parallel step's drawing: to each branch, from each step ending a branch to its join, from the join on. */
function parallelEdges(id: string, branches: string[], next: string | undefined): Edge[] {
  const out: Edge[] = [];
  for (const head of branches) {
    out.push({ from: id, to: head, label: null, kind: 'branch' });
    const seen = new Set<string>();
    const stack = [head];
    while (stack.length) {
      const at = stack.pop()!;
      if (seen.has(at)) continue;
      seen.add(at);
      stack.push(...written(at, v4.steps[at]!).map((e) => e.to));
    }
    for (const member of seen) {
      const step = v4.steps[member]!;
      if (step.type !== 'end' && !('next' in step && step.next)) out.push({ from: member, to: `${id}_join`, label: null, kind: 'join' });
    }
  }
  if (next) out.push({ from: `${id}_join`, to: next, label: null, kind: 'next' });
  return out;
}

const key = (e: Edge) => `${e.kind} ${e.from} -> ${e.to}`;

describe('the process graph', () => {
  it('draws every step of welfare-services-centre v4 and exactly the edges its definition writes', async () => {
    const res = await api<Graph>(h, 'GET', '/v1/licence-types/welfare-services-centre/graph?version=4');
    expect(res.status, res.text).toBe(200);
    const graph = res.body;
    expect(graph).toMatchObject({ typeId: 'welfare-services-centre', version: 4, start: v4.start });

    const steps = Object.entries(v4.steps);
    const parallels = steps.filter(([, s]) => s.type === 'parallel') as [string, Step & { branches: string[]; next?: string }][];
    expect(parallels.length, 'v4 has a parallel step to draw').toBeGreaterThan(0);
    expect(graph.nodes.map((n) => n.id)).toEqual([...steps.map(([id]) => id), ...parallels.map(([id]) => `${id}_join`)]);
    for (const [id, step] of steps) {
      const node = graph.nodes.find((n) => n.id === id)!;
      expect(node.kind, id).toBe(step.type);
      expect(node.title, id).toEqual(step.title ?? expect.anything());
      expect(node.role, id).toBe(step.type === 'task' ? 'task' : step.type === 'end' ? 'finish' : null);
    }
    expect(graph.nodes.find((n) => n.id === 'initial-interview')).toMatchObject({ shape: 'box', detail: { fa: 'county-office · ۳ روز کاری', en: 'county-office · 3 working days' } });
    expect(graph.nodes.find((n) => n.kind === 'check')).toMatchObject({ shape: 'decision' });

    const expected = [
      ...steps.flatMap(([id, step]) => written(id, step)),
      ...parallels.flatMap(([id, p]) => parallelEdges(id, p.branches, p.next)),
    ];
    expect(graph.edges.map(key).sort()).toEqual(expected.map(key).sort());
    for (const e of expected.filter((x) => x.kind === 'outcome')) {
      expect(graph.edges.find((g) => key(g) === key(e))?.label, key(e)).toEqual(e.label);
    }
    const ids = new Set(graph.nodes.map((n) => n.id));
    for (const e of graph.edges) expect(ids.has(e.from) && ids.has(e.to), key(e)).toBe(true);
  });

  it('answers the version in effect without a version, and 404 problem for an unknown type or version', async () => {
    const current = await api<Graph>(h, 'GET', '/v1/licence-types/welfare-services-centre/graph');
    expect(current.status, current.text).toBe(200);
    const type = await api<{ currentVersion: number }>(h, 'GET', '/v1/licence-types/welfare-services-centre');
    expect(current.body.version).toBe(type.body.currentVersion);
    for (const path of ['/v1/licence-types/no-such-type/graph', '/v1/licence-types/welfare-services-centre/graph?version=99']) {
      const res = await api<{ type: string; title: string; title_fa: string; status: number }>(h, 'GET', path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body).toMatchObject({ status: 404, title: 'licence type not found', title_fa: 'نوع پروانه یافت نشد' });
    }
  });
});
