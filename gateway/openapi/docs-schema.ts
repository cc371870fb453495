/**
 * JSON Schema as HTML for the reference page: a type label that links named schemas, and a
 * table of an object's properties.
 */
import type { ReferenceObject, SchemaObject } from 'openapi3-ts/oas31';

type Schema = SchemaObject | ReferenceObject;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and attribute values. */
export const esc = (text: unknown) => String(text).replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);

/** Minimal inline Markdown of the descriptions: `code` and **bold**, escaped. */
export const inline = (text: string) => esc(text).replace(/`([^`]+)`/g, '<code>$1</code>').replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');

const refName = (schema: Schema) => ('$ref' in schema && schema.$ref ? schema.$ref.split('/').at(-1)! : undefined);

/** A short type label: `string (date-time)`, `Licence[]`, `"a" | "b"`, `Title | null`. */
export function typeLabel(schema: Schema | undefined): string {
  if (!schema) return 'any';
  const name = refName(schema);
  if (name) return `<a href="#schema-${esc(name)}">${esc(name)}</a>`;
  const s = schema as SchemaObject;
  if (s.const !== undefined) return `<code>${esc(JSON.stringify(s.const))}</code>`;
  if (s.enum) return s.enum.map((v) => `<code>${esc(JSON.stringify(v))}</code>`).join(' | ');
  const union = s.anyOf ?? s.oneOf;
  if (union) return union.map((u) => typeLabel(u)).join(' | ');
  if (s.type === 'null') return 'null';
  if (s.type === 'array') return `${typeLabel(s.items as Schema | undefined)}[]`;
  if (s.type === 'object' && !s.properties) return 'object';
  const type = Array.isArray(s.type) ? s.type.join(' | ') : s.type ?? 'any';
  const details = [s.format, s.pattern && `pattern ${s.pattern}`, s.minLength !== undefined && `≥ ${s.minLength} chars`, s.maxLength !== undefined && `≤ ${s.maxLength} chars`,
    s.minimum !== undefined && `≥ ${s.minimum}`, s.maximum !== undefined && `≤ ${s.maximum}`].filter(Boolean);
  return `${esc(type)}${details.length ? ` <span class="muted">(${esc(details.join(', '))})</span>` : ''}`;
}

/** An object's properties as a table; a named schema as a link; anything else as its type. */
export function schemaTable(schema: Schema | undefined): string {
  if (!schema) return '';
  if ('$ref' in schema) return `<p>Schema: ${typeLabel(schema)}</p>`;
  if (!schema.properties) return `<p>${typeLabel(schema)}</p>`;
  const required = new Set(schema.required ?? []);
  const rows = Object.entries(schema.properties).map(([name, property]) => {
    const p = property as SchemaObject;
    const flags = [required.has(name) ? '<span class="req">required</span>' : '', p.deprecated ? '<span class="dep">deprecated</span>' : ''].join(' ');
    const extra = p.default !== undefined ? ` Default <code>${esc(JSON.stringify(p.default))}</code>.` : '';
    return `<tr><td><code>${esc(name)}</code> ${flags}</td><td>${typeLabel(p)}</td><td dir="auto">${inline(p.description ?? '')}${extra}</td></tr>`;
  }).join('');
  const closed = schema.additionalProperties === false ? '<p class="muted">No other fields are accepted.</p>' : '';
  return `<table><thead><tr><th>Field</th><th>Type</th><th>Description</th></tr></thead><tbody>${rows}</tbody></table>${closed}`;
}
