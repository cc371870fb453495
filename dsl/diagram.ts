/**
 * Draws a definition as a Mermaid flowchart, every node and edge labelled in Persian and English.
 * @example toMermaid(definition) // 'flowchart TD\n  start(("شروع<br/>start")) --> …'
 */
import { durationToText } from './calendar.js';
import { toPersianDigits } from '../platform/dates/jalali.js';
import { edgesOf, reachable } from './graph.js';
import type { CallSection, ProcessDefinition, Step, Text } from './schema.js';

const TYPE_LABEL: Record<Step['type'], Text> = {
  check: { fa: 'بررسی شرایط', en: 'check' },
  inquire: { fa: 'استعلام', en: 'inquiry' },
  task: { fa: 'تصمیم کارشناس', en: 'decision' },
  parallel: { fa: 'هم‌زمان', en: 'in parallel' },
  switch: { fa: 'انتخاب مسیر', en: 'route' },
  wait: { fa: 'انتظار', en: 'wait' },
  issue: { fa: 'صدور', en: 'issue' },
  notify: { fa: 'اطلاع‌رسانی', en: 'notify' },
  subprocess: { fa: 'فرایند فرعی', en: 'subprocess' },
  amend: { fa: 'تغییر پروانه', en: 'licence change' },
  refresh: { fa: 'خواندن دوباره پروانه', en: 're-read the licence' },
  set: { fa: 'ثبت مقادیر', en: 'set facts' },
  claim: { fa: 'یک پروانه برای هر نفر', en: 'claim a holding' },
  cohort: { fa: 'رتبه‌بندی فراخوان', en: 'call ranking' },
  end: { fa: 'پایان', en: 'end' },
};

const OUTCOME_LABEL: Record<string, Text> = {
  approved: { fa: 'تأیید', en: 'approved' },
  rejected: { fa: 'رد', en: 'rejected' },
  withdrawn: { fa: 'انصراف', en: 'withdrawn' },
};

const STAGE_LABEL: Record<string, Text> = {
  shortlist: { fa: 'فهرست مصاحبه', en: 'interview shortlist' },
  final: { fa: 'رتبه‌بندی نهایی', en: 'final ranking' },
};

const node = (id: string) => `s_${id.replace(/-/g, '_')}`;
const escape = (text: string) => text.replace(/"/g, '#quot;').replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;'));
const label = (t: Text) => `${escape(t.fa)}<br/>${escape(t.en)}`;

function describe(id: string, step: Step): string {
  const title = step.title ?? TYPE_LABEL[step.type];
  const lines = [label(title)];
  if (step.type === 'task') lines.push(`${escape(step.role)} · ${step.due ? label(durationToText(step.due)) : '?'}`);
  if (step.type === 'inquire') lines.push(`${escape(step.registry)}${step.timeout ? ` · ${label(durationToText(step.timeout))}` : ''}`);
  if (step.type === 'wait' && step.delay) lines.push(label(durationToText(step.delay)));
  if (step.type === 'end') lines.push(`${label(OUTCOME_LABEL[step.outcome]!)} · ${step.reason}`);
  if (step.type === 'check') lines.push(step.rules.map((r) => r.reason).join(', '));
  if (step.type === 'claim') lines.push(`${escape(step.holding)} · ${step.reason}`);
  if (step.type === 'amend') lines.push(`${step.action}${step.dependents ? ` · ${label({ fa: 'وابسته‌ها', en: 'dependents' })}: ${step.dependents}` : ''}`);
  if (step.type === 'subprocess') lines.push(`${escape(step.process)}${step.detach ? ` · ${label({ fa: 'جداگانه', en: 'detached' })}` : ''}`);
  if (step.type === 'cohort') lines.push(label(STAGE_LABEL[step.stage]!));
  return `"${lines.join('<br/>')}<br/><small>${id}</small>"`;
}

function shape(id: string, step: Step): string {
  const text = describe(id, step);
  switch (step.type) {
    case 'check':
    case 'switch':
    case 'claim':
      return `${node(id)}{${text}}`;
    case 'inquire':
    case 'refresh':
      return `${node(id)}[/${text}/]`;
    case 'wait':
      return `${node(id)}([${text}])`;
    case 'issue':
    case 'amend':
    case 'subprocess':
      return `${node(id)}[[${text}]]`;
    case 'end':
      return `${node(id)}((${text}))`;
    case 'cohort':
      return `${node(id)}{{${text}}}`;
    case 'parallel':
      return `${node(id)}[${text}]`;
    default:
      return `${node(id)}[${text}]`;
  }
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
    if (step.type === 'parallel') {
      const join = `${node(id)}_join`;
      out.push(`  ${join}{{"${label({ fa: 'پایان همه شاخه‌ها', en: 'all branches done' })}"}}`);
      for (const branch of step.branches) {
        out.push(`  ${node(id)} --> ${node(branch)}`);
        for (const member of reachable(definition, [branch])) {
          const s = definition.steps[member];
          if (s && s.type !== 'end' && !edgesOf(member, s).some((e) => e.kind === 'next')) out.push(`  ${node(member)} --> ${join}`);
        }
      }
      if (step.next) out.push(`  ${join} --> ${node(step.next)}`);
    }
  }
  if (definition.call) out.push(...callStages(definition.call));
  out.push('  classDef finish fill:#e8f5e9,stroke:#2e7d32;', '  classDef task fill:#fff3e0,stroke:#ef6c00;');
  const ofType = (t: Step['type']) => Object.entries(definition.steps).filter(([, s]) => s.type === t).map(([i]) => node(i));
  if (ofType('end').length) out.push(`  class ${ofType('end').join(',')} finish;`);
  if (ofType('task').length) out.push(`  class ${ofType('task').join(',')} task;`);
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
