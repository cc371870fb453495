/**
 * A definition as a graph to draw: each step a node (its kind's shape, its title, its detail), the
 * edges between them as the diagram draws them (a parallel's branches meeting at a join node), and
 * the first step. `toMermaid` writes it as Mermaid; the API serves it to clients that lay it out themselves.
 * @example processGraph(definition).nodes[0] // { id: 'eligibility', kind: 'check', shape: 'decision', … }
 */
import { edgesOf, reachable } from './graph.js';
import type { ProcessDefinition, Step, Text } from './schema.js';
import { kindOf } from './steps/index.js';
import type { Detail, DrawnEdge, Drawing, SHAPES } from './steps/kind.js';

export interface GraphNode {
  id: string;
  /** The step's type, or what a drawn-only node is (`join`). */
  kind: string;
  shape: keyof typeof SHAPES;
  title: Text;
  detail: Text | string | null;
  role: 'task' | 'finish' | null;
}
export interface GraphEdge { from: string; to: string; label: Text | null; kind: DrawnEdge['kind'] }
export interface ProcessGraph { nodes: GraphNode[]; edges: GraphEdge[]; start: string }

/** One step as drawn: its node, its own edges (a parallel's `branch` edges are its kind's to draw), what its kind draws beside them. */
export interface DrawnStep {
  node: GraphNode;
  /** The kind's detail in parts, for a renderer that sets the two languages apart its own way. */
  detail: Detail | undefined;
  edges: GraphEdge[];
  extra: { nodes: GraphNode[]; edges: GraphEdge[] };
}

/** The detail as one text: a plain string when it has no words to translate. */
export function detailText(detail: Detail | undefined): Text | string | null {
  if (detail === undefined) return null;
  const parts = Array.isArray(detail) ? detail : [detail];
  if (parts.every((p): p is string => typeof p === 'string')) return parts.join('');
  const side = (lang: keyof Text) => parts.map((p) => (typeof p === 'string' ? p : p[lang])).join('');
  return { fa: side('fa'), en: side('en') };
}

const edge = (e: DrawnEdge): GraphEdge => ({ from: e.from, to: e.to, label: e.label ?? null, kind: e.kind });

function drawStep(id: string, step: Step, drawing: Drawing): DrawnStep {
  const { diagram } = kindOf(step);
  const detail = diagram.detail?.(step);
  const extra = diagram.extra?.(id, step, drawing) ?? { nodes: [], edges: [] };
  return {
    node: { id, kind: step.type, shape: diagram.shape, title: step.title ?? diagram.label, detail: detailText(detail), role: diagram.className ?? null },
    detail,
    edges: edgesOf(id, step).filter((e) => e.kind !== 'branch').map(edge),
    extra: {
      nodes: extra.nodes.map((n) => ({ id: n.id, kind: n.kind, shape: n.shape, title: n.title, detail: null, role: null })),
      edges: extra.edges.map(edge),
    },
  };
}

/** Every step of the definition as drawn, in document order. */
export function drawnSteps(definition: ProcessDefinition): DrawnStep[] {
  const drawing: Drawing = {
    branchEnds: (branch) => [...reachable(definition, [branch])].filter((member) => {
      const s = definition.steps[member];
      return s && s.type !== 'end' && !edgesOf(member, s).some((e) => e.kind === 'next');
    }),
  };
  return Object.entries(definition.steps).map(([id, step]) => drawStep(id, step, drawing));
}

/** The definition's graph: step nodes then drawn-only ones, edges in the order the Mermaid diagram lists them. */
export function processGraph(definition: ProcessDefinition): ProcessGraph {
  const steps = drawnSteps(definition);
  return {
    nodes: [...steps.map((s) => s.node), ...steps.flatMap((s) => s.extra.nodes)],
    edges: steps.flatMap((s) => [...s.edges, ...s.extra.edges]),
    start: definition.start,
  };
}
