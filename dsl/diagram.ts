/**
 * Draws a definition as a Mermaid flowchart, every node and edge labelled in Persian and English.
 * @example toMermaid(definition) // 'flowchart TD\n  start(("شروع<br/>start")) --> …'
 */
import { durationToText } from './calendar.js';
import { toPersianDigits } from '../platform/dates/jalali.js';
import { edgesOf, reachable } from './graph.js';
import type { CallSection, ProcessDefinition, Step, Text } from './schema.js';
import { label } from './steps/draw.js';
import { kindOf, stepKinds } from './steps/index.js';
import { SHAPES, type Drawing } from './steps/kind.js';

const node = (id: string) => `s_${id.replace(/-/g, '_')}`;

/** A step's node: its kind's shape around its title (or its kind's label), its detail and its id. */
function shape(id: string, step: Step): string {
  const { diagram } = kindOf(step);
  const lines = [label(step.title ?? diagram.label)];
  const detail = diagram.detail?.(step);
  if (detail !== undefined) lines.push(detail);
  const [open, close] = SHAPES[diagram.shape];
  return `${node(id)}${open}"${lines.join('<br/>')}<br/><small>${id}</small>"${close}`;
}

/** Renders the definition's flowchart (Mermaid source). */
export function toMermaid(definition: ProcessDefinition): string {
  const out = ['flowchart TD', ...startOf(definition)];
  for (const [id, step] of Object.entries(definition.steps)) out.push(`  ${shape(id, step)}`);
  for (const [id, step] of Object.entries(definition.steps)) {
    for (const edge of edgesOf(id, step)) {
      if (edge.kind === 'branch') continue;
      out.push(edge.label ? `  ${node(id)} -->|"${label(edge.label)}"| ${node(edge.to)}` : `  ${node(id)} --> ${node(edge.to)}`);
    }
    out.push(...(kindOf(step).diagram.extra?.(id, step, drawing(definition)) ?? []));
  }
  if (definition.call) out.push(...callStages(definition.call));
  out.push('  classDef finish fill:#e8f5e9,stroke:#2e7d32;', '  classDef task fill:#fff3e0,stroke:#ef6c00;');
  for (const className of ['finish', 'task'] as const) {
    const types = new Set<string>(stepKinds.filter((k) => k.diagram.className === className).map((k) => k.type));
    const nodes = Object.entries(definition.steps).filter(([, s]) => types.has(s.type)).map(([i]) => node(i));
    if (nodes.length) out.push(`  class ${nodes.join(',')} ${className};`);
  }
  return `${out.join('\n')}\n`;
}

/** What a kind may draw beside its edges with. */
function drawing(definition: ProcessDefinition): Drawing {
  return {
    node,
    label,
    branchEnds: (branch) => [...reachable(definition, [branch])].filter((member) => {
      const s = definition.steps[member];
      return s && s.type !== 'end' && !edgesOf(member, s).some((e) => e.kind === 'next');
    }),
  };
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
