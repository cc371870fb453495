/**
 * `GET /docs`: the API reference as one self-contained HTML page rendered from the OpenAPI
 * document: operations by tag with method, path, summary (English and Persian), roles,
 * parameters, request and response schemas and examples, then every named schema. No scripts,
 * no external resources.
 *
 * @example renderReferencePage(buildOpenApiDocument(allRoutes))
 */
import type { OpenAPIObject, OperationObject, ParameterObject, ReferenceObject, ResponseObject, SchemaObject } from 'openapi3-ts/oas31';
import { esc, inline, schemaTable, typeLabel } from './docs-schema.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

const STYLE = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Tahoma,sans-serif;margin:0;color:#1d2330;background:#fafbfc}
header{background:#123c5a;color:#fff;padding:1.2rem 2rem}header h1{margin:0 0 .3rem}header p{margin:.3rem 0;max-width:70rem}
header code{background:#ffffff22}main{display:flex;gap:2rem;padding:1rem 2rem}nav{min-width:16rem;position:sticky;top:0;align-self:flex-start;max-height:100vh;overflow:auto}
nav ul{list-style:none;padding-left:.5rem;margin:.2rem 0 1rem}nav a{text-decoration:none;color:#123c5a}article{flex:1;min-width:0}
section.op{background:#fff;border:1px solid #dde3ea;border-radius:6px;padding:.8rem 1.2rem;margin:1rem 0}
.m{display:inline-block;min-width:3.5rem;text-align:center;font-weight:700;border-radius:4px;padding:0 .4rem;color:#fff;font-size:.85rem}
.get{background:#2f7d32}.post{background:#1f5fa8}.put,.patch{background:#8a5a00}.delete{background:#a12a2a}
.path{font-family:ui-monospace,monospace;font-size:1rem;margin-left:.5rem}.fa{font-family:Tahoma,"Vazirmatn",sans-serif;color:#44506a}
.role{display:inline-block;background:#eef3f8;border:1px solid #c9d6e3;border-radius:10px;padding:0 .5rem;margin-right:.3rem;font-size:.85rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0}th,td{border:1px solid #e3e8ee;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f6f9}pre{background:#0f1b26;color:#e6edf3;padding:.7rem;border-radius:5px;overflow:auto;max-height:24rem;font-size:.85rem}
code{background:#eef2f6;padding:0 .25rem;border-radius:3px}pre code{background:none}.muted{color:#6b778c}.req{color:#a12a2a;font-size:.8rem}
.dep{color:#8a5a00;font-size:.8rem}h2{border-bottom:2px solid #123c5a;padding-bottom:.2rem;margin-top:2rem}h4{margin:.8rem 0 .3rem}`;

type Resolved<T> = Exclude<T, ReferenceObject>;

/** Follows a local `$ref` into `components`. */
function resolve<T extends object>(doc: OpenAPIObject, value: T | ReferenceObject): Resolved<T> {
  if (!('$ref' in value)) return value as Resolved<T>;
  const [, , kind, name] = value.$ref.split('/');
  return (doc.components as Record<string, Record<string, unknown>>)[kind!]![name!] as Resolved<T>;
}

const exampleBlock = (example: unknown) => (example === undefined ? ''
  : `<details><summary>Example</summary><pre><code>${esc(typeof example === 'string' ? example : JSON.stringify(example, null, 2))}</code></pre></details>`);

function parametersTable(doc: OpenAPIObject, parameters: (ParameterObject | ReferenceObject)[]): string {
  if (!parameters.length) return '';
  const rows = parameters.map((p) => resolve<ParameterObject>(doc, p)).map((p) => `<tr><td><code>${esc(p.name)}</code>${p.required ? ' <span class="req">required</span>' : ''}</td>`
    + `<td>${esc(p.in)}</td><td>${typeLabel(p.schema as SchemaObject | undefined)}</td><td dir="auto">${inline(p.description ?? '')}${p.example !== undefined ? ` e.g. <code>${esc(p.example)}</code>` : ''}</td></tr>`);
  return `<h4>Parameters</h4><table><thead><tr><th>Name</th><th>In</th><th>Type</th><th>Description</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function responsesBlock(doc: OpenAPIObject, responses: Record<string, ResponseObject | ReferenceObject>): string {
  const items = Object.entries(responses).map(([status, value]) => {
    const response = resolve<ResponseObject>(doc, value);
    const [mediaType, media] = Object.entries(response.content ?? {})[0] ?? [];
    const body = media ? ` <span class="muted">${esc(mediaType)}</span> ${typeLabel(media.schema)}` : '';
    return `<li><strong>${esc(status)}</strong> ${inline(response.description)}${body}${media ? exampleBlock(media.example) : ''}</li>`;
  });
  return `<h4>Responses</h4><ul>${items.join('')}</ul>`;
}

function operationSection(doc: OpenAPIObject, method: string, path: string, op: OperationObject): string {
  const roles = (op['x-roles'] as string[] | undefined ?? []).map((r) => `<span class="role">${esc(r)}</span>`).join('');
  const body = op.requestBody ? resolve(doc, op.requestBody) : undefined;
  const json = body?.content['application/json'];
  return `<section class="op" id="${esc(op.operationId)}"><div><span class="m ${method}">${method.toUpperCase()}</span><span class="path">${esc(path)}</span></div>`
    + `<h3>${esc(op.summary ?? '')}${op.deprecated ? ' <span class="dep">deprecated</span>' : ''}</h3>`
    + (op['x-summary-fa'] ? `<p class="fa" dir="rtl" lang="fa">${esc(op['x-summary-fa'])}</p>` : '')
    + `<p>Roles: ${roles} <span class="muted">operationId <code>${esc(op.operationId)}</code></span></p>`
    + (op.description ? `<p>${inline(op.description)}</p>` : '')
    + parametersTable(doc, op.parameters ?? [])
    + (json ? `<h4>Request body <span class="muted">application/json</span> ${typeLabel(json.schema)}</h4>${schemaTable(json.schema && resolve<SchemaObject>(doc, json.schema))}${exampleBlock(json.example)}` : '')
    + responsesBlock(doc, op.responses as Record<string, ResponseObject | ReferenceObject>)
    + '</section>';
}

/** The whole page. */
export function renderReferencePage(doc: OpenAPIObject): string {
  const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) => METHODS.flatMap((m) => (item[m] ? [{ method: m, path, op: item[m] as OperationObject }] : [])));
  const tags = doc.tags ?? [];
  const nav = tags.map((t) => `<li><a href="#tag-${esc(t.name)}"><strong>${esc(t.name)}</strong></a> <span class="fa" dir="rtl">${esc(t['x-title-fa'] ?? '')}</span><ul>`
    + operations.filter((o) => o.op.tags?.[0] === t.name).map((o) => `<li><a href="#${esc(o.op.operationId)}"><span class="m ${o.method}">${o.method.toUpperCase()}</span> ${esc(o.path)}</a></li>`).join('')
    + '</ul></li>').join('');
  const sections = tags.map((t) => `<h2 id="tag-${esc(t.name)}">${esc(t.name)} <span class="fa" dir="rtl" lang="fa">${esc(t['x-title-fa'] ?? '')}</span></h2><p dir="auto">${inline(t.description ?? '')}</p>`
    + operations.filter((o) => o.op.tags?.[0] === t.name).map((o) => operationSection(doc, o.method, o.path, o.op)).join('')).join('');
  const schemas = Object.entries(doc.components?.schemas ?? {}).map(([name, schema]) => `<section class="op" id="schema-${esc(name)}"><h3>${esc(name)}</h3>`
    + `${(schema as SchemaObject).description ? `<p dir="auto">${inline((schema as SchemaObject).description!)}</p>` : ''}${schemaTable(schema)}</section>`).join('');
  const intro = (doc.info.description ?? '').split(/\n\n+/).map((p) => `<p>${inline(p)}</p>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`
    + `<title>${esc(doc.info.title)} ${esc(doc.info.version)}</title><style>${STYLE}</style></head><body>`
    + `<header><h1>${esc(doc.info.title)} <span class="muted">${esc(doc.info.version)}</span></h1><p class="fa" dir="rtl" lang="fa" style="color:#dfe8f0">درگاه صدور پروانه — مرجع API</p>${intro}`
    + '<p>Machine-readable: <a style="color:#fff" href="/openapi.json">openapi.json</a> · <a style="color:#fff" href="/openapi.yaml">openapi.yaml</a></p></header>'
    + `<main><nav>${nav}<ul><li><a href="#schemas"><strong>Schemas</strong></a></li></ul></nav><article>${sections}<h2 id="schemas">Schemas</h2>${schemas}</article></main></body></html>`;
}
