/**
 * The gateway's OpenAPI document, built once from every described route, with its YAML and
 * HTML renderings. Needs no server, database or keys: `api-spec/write.ts` uses it too.
 */
import { stringify } from 'yaml';
import { allRoutes } from '../routes/index.js';
import { buildOpenApiDocument, type DocumentOptions } from './document.js';
import { renderReferencePage } from './docs-page.js';

export function gatewayOpenApi(options: DocumentOptions = {}) {
  const document = buildOpenApiDocument(allRoutes, options);
  return { document, yaml: stringify(document, { aliasDuplicateObjects: false, lineWidth: 0 }), html: renderReferencePage(document) };
}
