/** Mermaid text helpers shared by the diagram and the step kinds' labels. */
import type { Text } from '../primitives.js';

/** Mermaid-safe text: quotes and angle brackets as entities. */
export const escape = (text: string) => text.replace(/"/g, '#quot;').replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;'));
/** Persian over English, on two lines. */
export const label = (t: Text) => `${escape(t.fa)}<br/>${escape(t.en)}`;
