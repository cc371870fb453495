/**
 * Draws a definition as a Mermaid flowchart, every node and edge labelled in Persian and English.
 * @example toMermaid(definition) // 'flowchart TD\n  start(("شروع<br/>start")) --> …'
 */
import { durationToText } from './calendar.js';
import { edgesOf, reachable } from './graph.js';
import type { ProcessDefinition, Step, Text } from './schema.js';

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
  end: { fa: 'پایان', en: 'end' },
};

const OUTCOME_LABEL: Record<string, Text> = {
  approved: { fa: 'تأیید', en: 'approved' },
  rejected: { fa: 'رد', en: 'rejected' },
  withdrawn: { fa: 'انصراف', en: 'withdrawn' },
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
  return `"${lines.join('<br/>')}<br/><small>${id}</small>"`;
}

function shape(id: string, step: Step): string {
  const text = describe(id, step);
  switch (step.type) {
    case 'check':
    case 'switch':
      return `${node(id)}{${text}}`;
    case 'inquire':
      return `${node(id)}[/${text}/]`;
    case 'wait':
      return `${node(id)}([${text}])`;
    case 'issue':
    case 'amend':
    case 'subprocess':
      return `${node(id)}[[${text}]]`;
    case 'end':
      return `${node(id)}((${text}))`;
    case 'parallel':
      return `${node(id)}[${text}]`;
    default:
      return `${node(id)}[${text}]`;
  }
}

/** Renders the definition's flowchart (Mermaid source). */
export function toMermaid(definition: ProcessDefinition): string {
  const out = ['flowchart TD', `  start(("${label({ fa: 'شروع', en: 'start' })}")) --> ${node(definition.start)}`];
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
  out.push('  classDef finish fill:#e8f5e9,stroke:#2e7d32;', '  classDef task fill:#fff3e0,stroke:#ef6c00;');
  const ofType = (t: Step['type']) => Object.entries(definition.steps).filter(([, s]) => s.type === t).map(([i]) => node(i));
  if (ofType('end').length) out.push(`  class ${ofType('end').join(',')} finish;`);
  if (ofType('task').length) out.push(`  class ${ofType('task').join(',')} task;`);
  return `${out.join('\n')}\n`;
}
