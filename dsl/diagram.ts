/**
 * Draws a definition as a Mermaid flowchart, every node and edge labelled in Persian and English.
 * @example toMermaid(definition) // 'flowchart TD\n  start(("شروع<br/>start")) --> …'
 */
import { durationToText } from './calendar.js';
import { toPersianDigits } from '../platform/dates/jalali.js';
import { drawnSteps, type GraphEdge, type GraphNode } from './process-graph.js';
import type { CallSection, ProcessDefinition, Text } from './schema.js';
import { escape, label } from './steps/draw.js';
import { SHAPES, type Detail } from './steps/kind.js';

const node = (id: string) => `s_${id.replace(/-/g, '_')}`;

/** A detail's parts: codes escaped, words Persian over English. */
const detailLabel = (detail: Detail) => (Array.isArray(detail) ? detail : [detail]).map((p) => (typeof p === 'string' ? escape(p) : label(p))).join('');

/** A node: its shape around its title, its detail and, for a step, its id. */
function shape(n: GraphNode, detail: Detail | undefined, step: boolean): string {
  const lines = [label(n.title)];
  if (detail !== undefined) lines.push(detailLabel(detail));
  if (step) lines.push(`<small>${n.id}</small>`);
  const [open, close] = SHAPES[n.shape];
  return `${node(n.id)}${open}"${lines.join('<br/>')}"${close}`;
}

const arrow = (e: GraphEdge) => (e.label ? `  ${node(e.from)} -->|"${label(e.label)}"| ${node(e.to)}` : `  ${node(e.from)} --> ${node(e.to)}`);

/** Renders the definition's flowchart (Mermaid source). */
export function toMermaid(definition: ProcessDefinition): string {
  const out = ['flowchart TD', ...startOf(definition)];
  const steps = drawnSteps(definition);
  for (const s of steps) out.push(`  ${shape(s.node, s.detail, true)}`);
  for (const s of steps) {
    out.push(...s.edges.map(arrow));
    out.push(...s.extra.nodes.map((n) => `  ${shape(n, undefined, false)}`), ...s.extra.edges.map(arrow));
  }
  if (definition.call) out.push(...callStages(definition.call));
  out.push('  classDef finish fill:#e8f5e9,stroke:#2e7d32;', '  classDef task fill:#fff3e0,stroke:#ef6c00;');
  for (const role of ['finish', 'task'] as const) {
    const nodes = steps.filter((s) => s.node.role === role).map((s) => node(s.node.id));
    if (nodes.length) out.push(`  class ${nodes.join(',')} ${role};`);
  }
  return `${out.join('\n')}\n`;
}

/** The start, through the change's rules when it declares any: they are judged on the request, before the first step. */
function startOf(definition: ProcessDefinition): string[] {
  const start = `  start(("${label({ fa: 'شروع', en: 'start' })}"))`;
  const rules = definition.change?.rules ?? [];
  if (!rules.length) return [`${start} --> ${node(definition.start)}`];
  const checked = label({ fa: 'بررسی درخواست هنگام ثبت', en: 'request checked on submission' });
  return [
    `${start} --> change_rules`,
    `  change_rules{"${checked}<br/>${rules.map((r) => r.reason).join(', ')}<br/><small>change.rules</small>"}`,
    `  change_rules --> ${node(definition.start)}`,
  ];
}

/** The call's own stages, beside the per-applicant steps: what the cohort workflow does when. */
function callStages(call: CallSection): string[] {
  const seats = Object.values(call.universities).reduce((sum, u) => sum + u.capacity, 0);
  const stages: [string, Text][] = [
    ['registration', { fa: `ثبت‌نام ${call.registration.opens} تا ${call.registration.closes}`, en: `registration ${call.registration.opens} to ${call.registration.closes}` }],
    ['documents', { fa: `مهلت مدارک: ${durationToText(call.lateDocuments.after).fa} پس از پایان ثبت‌نام · LATE_DOCUMENTS`, en: `documents due ${durationToText(call.lateDocuments.after).en} after registration closes · LATE_DOCUMENTS` }],
    ['exam', { fa: `آزمون: حد نصاب ${call.exam.passMark}٪ · EXAM_BELOW_PASS_MARK`, en: `exam: pass mark ${call.exam.passMark} % · EXAM_BELOW_PASS_MARK` }],
    ...(call.interview ? [['shortlist', { fa: `دعوت به مصاحبه: ${call.interview.multiple} برابر نیاز هر دانشگاه`, en: `interviews for ${call.interview.multiple} × each university's need` }] as [string, Text]] : []),
    ['final', { fa: `رتبه‌بندی نهایی: ${seats} دفتر در ${Object.keys(call.universities).length} دانشگاه`, en: `final ranking: ${seats} offices in ${Object.keys(call.universities).length} universities` }],
    ['reserves', { fa: `جایگزینی از ذخیره‌ها: ${durationToText(call.reserves.within).fa}`, en: `reserves move up for ${durationToText(call.reserves.within).en}` }],
  ];
  const out = [`  subgraph call_stages["${label({ fa: 'مراحل فراخوان', en: 'call stages' })}"]`];
  stages.forEach(([id, text], i) => {
    out.push(`    c_${id}[/"${label({ fa: toPersianDigits(text.fa), en: text.en })}"\\]`);
    if (i > 0) out.push(`    c_${stages[i - 1]![0]} --> c_${id}`);
  });
  out.push('  end');
  return out;
}
