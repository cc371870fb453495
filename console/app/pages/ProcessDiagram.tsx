/**
 * An application's process drawn as SVG from the definition's step graph (GET
 * /v1/licence-types/{typeId}/graph), laid out by dagre top to bottom: each node in its kind's shape
 * with its title (an ending with its outcome), the edges with arrowheads and labels; the steps
 * passed filled and ticked, the edges the application went along drawn alike, the current steps
 * outlined thick with aria-current="step". Persian mirrors the drawing so that it reads from the
 * right. Colours come from classes in styles.css (CSP: no inline styles). The ordered list after it
 * is the text alternative.
 * @example <ProcessDiagram graph={graph} state={(id) => (id === 'eligibility' ? 'passed' : 'ahead')} taken={new Set()} />
 */
import dagre from '@dagrejs/dagre';
import type { Schemas } from '../api.js';
import { useI18n, type Text } from '../i18n.js';

export type ProcessGraph = Schemas['ProcessGraph'];
type GraphNode = ProcessGraph['nodes'][number];
export type StepState = 'passed' | 'current' | 'ahead';

const W = 184;
const LINE = 17;
const MAX_LINES = 3;
/** Characters a line of a node holds at the diagram's font size (an estimate: the SVG is not measured). */
const LINE_CHARS = 24;
const LABEL_CHARS = 22;

const TEXT = {
  name: { fa: 'نمودار فرایند', en: 'Process diagram' },
  describe: (steps: number, passed: number, current: string[]): Text => ({
    fa: `${steps} مرحله؛ ${passed} مرحله گذشته؛ مرحله جاری: ${current.join('، ') || 'ندارد'}. فهرست زیر همین مراحل را به ترتیب نام می‌برد.`,
    en: `${steps} steps; ${passed} passed; current: ${current.join(', ') || 'none'}. The list below names the same steps in order.`,
  }),
  passed: { fa: 'گذشته', en: 'passed' },
  current: { fa: 'مرحله جاری', en: 'current step' },
} satisfies Record<string, Text | ((...args: never[]) => Text)>;

/** Persian and Arabic letters: such a text is laid out right to left, anything else (an expression, an id) left to right. */
const direction = (text: string) => (/[\u0600-\u06FF]/.test(text) ? 'rtl' : 'ltr');

/** The key of an edge in `taken`. */
export const edgeKey = (from: string, to: string) => `${from}→${to}`;

/** The words of `text` in at most `lines` lines of `chars` characters, the last cut with an ellipsis when it does not fit. */
export function wrap(text: string, chars: number, lines: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (candidate.length <= chars) {
      line = candidate;
      continue;
    }
    if (line) out.push(line);
    line = word.length > chars ? `${word.slice(0, chars - 1)}…` : word;
  }
  if (line) out.push(line);
  if (out.length <= lines) return out;
  const kept = out.slice(0, lines);
  const last = kept[lines - 1]!;
  kept[lines - 1] = `${last.length >= chars ? last.slice(0, chars - 1) : last}…`;
  return kept;
}

interface Placed { node: GraphNode; x: number; y: number; width: number; height: number; lines: string[]; detail: string | undefined }

const widthOf = (shape: GraphNode['shape']) => (shape === 'decision' ? W + 64 : W);
const heightOf = (shape: GraphNode['shape'], lines: number) => lines * LINE + (shape === 'decision' ? 44 : 20);
const detailOf = (node: GraphNode, t: (text: Text) => string) => (node.detail === null ? '' : typeof node.detail === 'string' ? node.detail : t(node.detail));

/**
 * Lays the graph out top to bottom, mirrored when `mirror` (Persian); the node and edge sizes are
 * estimated from their wrapped text. An ending shows its outcome on a second line: every ending's title is "end".
 */
function layout(graph: ProcessGraph, t: (text: Text) => string, mirror: boolean) {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 44, edgesep: 12, marginx: 8, marginy: 8 });
  const lines = new Map(graph.nodes.map((n) => [n.id, wrap(t(n.title), LINE_CHARS, MAX_LINES)]));
  const details = new Map(graph.nodes.filter((n) => n.role === 'finish').map((n) => [n.id, wrap(detailOf(n, t), LINE_CHARS + 4, 1)[0]]));
  for (const n of graph.nodes) g.setNode(n.id, { width: widthOf(n.shape), height: heightOf(n.shape, lines.get(n.id)!.length + (details.get(n.id) ? 1 : 0)) });
  const labels = graph.edges.map((e) => (e.label ? wrap(t(e.label), LABEL_CHARS, 2) : []));
  graph.edges.forEach((e, i) => {
    const text = labels[i]!;
    const width = text.length ? Math.max(...text.map((l) => l.length)) * 6.5 + 8 : 0;
    g.setEdge(e.from, e.to, { width, height: text.length * 15, labelpos: 'c' }, String(i));
  });
  dagre.layout(g);
  const size = g.graph();
  const width = Math.ceil(size.width ?? 0);
  const x = (at: number) => (mirror ? width - at : at);
  const placed: Placed[] = graph.nodes.map((node) => {
    const p = g.node(node.id);
    return { node, x: x(p.x!), y: p.y!, width: p.width, height: p.height, lines: lines.get(node.id)!, detail: details.get(node.id) };
  });
  const edges = graph.edges.map((e, i) => {
    const p = g.edge({ v: e.from, w: e.to, name: String(i) });
    return { edge: e, points: (p.points ?? []).map((q: { x: number; y: number }) => ({ x: x(q.x), y: q.y })), x: p.x === undefined ? undefined : x(p.x), y: p.y, label: labels[i]! };
  });
  return { placed, edges, width, height: Math.ceil(size.height ?? 0) };
}

/** The node's outline in its kind's shape, centred on (0, 0). */
function Outline({ shape, width: w, height: h }: { shape: GraphNode['shape']; width: number; height: number }) {
  const [x, y] = [-w / 2, -h / 2];
  switch (shape) {
    case 'decision':
      return <polygon class="node-shape" points={`0,${y} ${-x},0 0,${-y} ${x},0`} />;
    case 'exchange':
      return <polygon class="node-shape" points={`${x + 12},${y} ${-x},${y} ${-x - 12},${-y} ${x},${-y}`} />;
    case 'cohort':
      return <polygon class="node-shape" points={`${x + 14},${y} ${-x - 14},${y} ${-x},0 ${-x - 14},${-y} ${x + 14},${-y} ${x},0`} />;
    case 'ending':
    case 'pause':
      return <rect class="node-shape" x={x} y={y} width={w} height={h} rx={Math.min(h / 2, 22)} />;
    case 'register':
      return (
        <>
          <rect class="node-shape" x={x} y={y} width={w} height={h} rx={2} />
          <path class="node-edge-line" d={`M${x + 8},${y} V${-y} M${-x - 8},${y} V${-y}`} />
        </>
      );
    default:
      return <rect class="node-shape" x={x} y={y} width={w} height={h} rx={4} />;
  }
}

function path(points: { x: number; y: number }[]): string {
  return points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
}

/**
 * `state` says where the application is at each step; `taken` holds the edges it went along
 * (`edgeKey(from, to)`), drawn like the steps passed.
 */
export function ProcessDiagram({ graph, state, taken }: { graph: ProcessGraph; state: (id: string) => StepState; taken: ReadonlySet<string> }) {
  const { t, n, lang } = useI18n();
  const { placed, edges, width, height } = layout(graph, t, lang === 'fa');
  const steps = graph.nodes.filter((x) => x.kind !== 'join');
  const current = steps.filter((x) => state(x.id) === 'current').map((x) => t(x.title));
  const passedCount = steps.filter((x) => state(x.id) === 'passed').length;
  const description = TEXT.describe(steps.length, passedCount, current);
  const describeText = { fa: description.fa.replace(/\d+/g, (d) => n(Number(d))), en: description.en };
  return (
    // Focusable, so that a keyboard can scroll it where it is wider than the screen.
    <div class="diagram-wrap" role="region" aria-label={t(TEXT.name)} tabIndex={0}>
      <svg class="diagram" role="img" aria-labelledby="diagram-name diagram-desc" viewBox={`0 0 ${width} ${height}`} width={width} height={height} xmlns="http://www.w3.org/2000/svg">
        <title id="diagram-name">{t(TEXT.name)}</title>
        <desc id="diagram-desc">{t(describeText)}</desc>
        <defs>
          <marker id="diagram-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path class="edge-arrow" d="M0,0 L10,5 L0,10 z" />
          </marker>
          <marker id="diagram-arrow-taken" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path class="edge-arrow edge-arrow-taken" d="M0,0 L10,5 L0,10 z" />
          </marker>
        </defs>
        <g class="edges">
          {edges.map(({ edge, points, x, y, label }, i) => {
            const went = taken.has(edgeKey(edge.from, edge.to));
            return (
              <g key={i} class={`edge edge-${edge.kind}${went ? ' edge-taken' : ''}`}>
                <path d={path(points)} fill="none" marker-end={`url(#diagram-arrow${went ? '-taken' : ''})`} />
                {label.length > 0 && x !== undefined && y !== undefined && edge.label && (
                  <text class="edge-label" x={x} y={y - ((label.length - 1) * 15) / 2} text-anchor="middle" dominant-baseline="middle" direction={direction(t(edge.label))}>
                    <title>{t(edge.label)}</title>
                    {label.map((l, j) => <tspan key={j} x={x} dy={j ? 15 : 0}>{l}</tspan>)}
                  </text>
                )}
              </g>
            );
          })}
        </g>
        <g class="nodes">
          {placed.map(({ node, x, y, width: w, height: h, lines, detail }) => {
            const s = node.kind === 'join' ? 'ahead' : state(node.id);
            const full = [t(node.title), detailOf(node, t), s === 'ahead' ? '' : t(s === 'current' ? TEXT.current : TEXT.passed), node.id].filter(Boolean).join(' · ');
            const rows = detail ? [...lines, detail] : lines;
            return (
              <g key={node.id} class={`node node-${s}${node.role ? ` node-${node.role}` : ''}`} transform={`translate(${x.toFixed(1)},${y.toFixed(1)})`}
                data-step={node.id} data-state={s} aria-current={s === 'current' ? 'step' : undefined}>
                <title>{full}</title>
                <Outline shape={node.shape} width={w} height={h} />
                <text class="node-title" y={-((rows.length - 1) * LINE) / 2} text-anchor="middle" dominant-baseline="middle" direction={direction(t(node.title))}>
                  {rows.map((l, j) => <tspan key={j} x={0} dy={j ? LINE : 0} class={j >= lines.length ? 'node-detail' : undefined}>{l}</tspan>)}
                </text>
                {s === 'passed' && (
                  <g class="node-tick" transform={`translate(${(w / 2 - (node.shape === 'decision' ? w / 4 : 0)).toFixed(1)},${(-h / 2).toFixed(1)})`}>
                    <circle r={9} />
                    <path d="M-4,0 L-1,3 L4,-3" fill="none" />
                  </g>
                )}
              </g>
            );
          })}
        </g>
      </svg>
    </div>
  );
}
