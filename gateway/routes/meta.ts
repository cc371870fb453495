/** The gateway's own resources: health, readiness, the signing keys and the API description. */
import { z } from 'zod';
import { DomainError } from '../../services/errors.js';
import { describeRoute } from '../openapi/route.js';
import * as examples from '../schemas/examples.js';
import { Health, Jwks, OpenApiDocument, Ready } from '../schemas/meta.js';

export const metaRoutes = [
  describeRoute({
    method: 'get', path: '/health', operationId: 'health', tags: ['gateway'],
    summary: 'Liveness: the gateway process answers', summaryFa: 'سلامت',
    access: 'public',
    responses: { 200: { description: 'Alive.', schema: Health, example: { status: 'ok' } } },
  }, async () => ({ status: 200, body: { status: 'ok' as const } })),

  describeRoute({
    method: 'get', path: '/ready', operationId: 'ready', tags: ['gateway'],
    summary: 'Readiness: the database and Temporal answer', summaryFa: 'آمادگی',
    access: 'public',
    responses: { 200: { description: 'Ready to serve.', schema: Ready, example: { status: 'ready' } } },
    problems: [503],
  }, async ({ c }) => {
    try {
      await c.var.gateway.checkReady();
    } catch (error) {
      // The cause (hosts, ports, driver messages) goes to the log, never to a public answer.
      const failure = new DomainError('unavailable', 'not-ready', { fa: 'آماده نیست', en: 'not ready' }, 'the database or the workflow engine does not answer');
      (failure as Error).cause = error;
      throw failure;
    }
    return { status: 200, body: { status: 'ready' as const } };
  }),

  describeRoute({
    method: 'get', path: '/.well-known/jwks.json', operationId: 'getSigningKeys', tags: ['gateway'],
    summary: 'The public keys that verify every response\'s x-jws-signature', summaryFa: 'کلیدهای عمومی امضای پاسخ‌ها',
    description: 'The active key first, then retired keys, which stay published after a rotation so earlier signatures still verify. Cacheable for five minutes.',
    access: 'public',
    responses: { 200: { description: 'A JWK set.', schema: Jwks, example: examples.jwks, headers: ['Cache-Control'] } },
  }, async ({ c }) => ({ status: 200, body: c.var.gateway.jwks() as z.input<typeof Jwks>, headers: { 'cache-control': 'public, max-age=300' } })),

  describeRoute({
    method: 'get', path: '/openapi.json', operationId: 'getOpenApiJson', tags: ['gateway'],
    summary: 'This API\'s OpenAPI 3.1 document (JSON)', summaryFa: 'مستند OpenAPI',
    access: 'public',
    responses: { 200: { description: 'The OpenAPI document.', schema: OpenApiDocument, example: { openapi: '3.1.0', info: { title: 'Parvaneh API', version: '1.0.0' } } } },
  }, async ({ c }) => ({ status: 200, body: c.var.gateway.openapi.document as unknown as Record<string, unknown> })),

  describeRoute({
    method: 'get', path: '/openapi.yaml', operationId: 'getOpenApiYaml', tags: ['gateway'],
    summary: 'This API\'s OpenAPI 3.1 document (YAML)', summaryFa: 'مستند OpenAPI (YAML)',
    access: 'public',
    responses: { 200: { description: 'The OpenAPI document.', schema: z.string(), mediaType: 'application/yaml', example: 'openapi: 3.1.0\ninfo:\n  title: Parvaneh API\n' } },
  }, async ({ c }) => ({ status: 200, body: c.var.gateway.openapi.yaml })),

  describeRoute({
    method: 'get', path: '/docs', operationId: 'getApiReference', tags: ['gateway'],
    summary: 'The API reference as a web page', summaryFa: 'راهنمای API',
    description: 'Rendered on the server from this document; self-contained (no scripts).',
    access: 'public',
    responses: { 200: { description: 'HTML.', schema: z.string(), mediaType: 'text/html; charset=utf-8', example: '<!doctype html><title>Parvaneh API</title>' } },
  }, async ({ c }) => ({ status: 200, body: c.var.gateway.openapi.html })),

  describeRoute({
    method: 'get', path: '/metrics', operationId: 'getMetrics', tags: ['gateway'],
    summary: 'Prometheus metrics: requests by route and status, latency, process', summaryFa: 'سنجه‌ها',
    access: 'public',
    responses: { 200: { description: 'Prometheus text exposition format.', schema: z.string(), mediaType: 'text/plain; version=0.0.4; charset=utf-8', example: '# HELP parvaneh_http_requests_total Requests served\n' } },
  }, async ({ c }) => {
    const { text } = await c.var.gateway.metrics();
    return { status: 200, body: text };
  }),
];
