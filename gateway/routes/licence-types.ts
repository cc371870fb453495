/** The licence types: the processes written in the DSL, their versions and diagrams. */
import { Hono } from 'hono';
import { toMermaid } from '../../dsl/diagram.js';
import type { GatewayEnv } from '../env.js';
import { notFound } from '../../services/errors.js';

export function licenceTypeRoutes() {
  const app = new Hono<GatewayEnv>();
  app.get('/', (c) => {
    const { catalogue } = c.var.deps;
    const now = Date.now();
    return c.json({
      items: catalogue.ids().map((id) => {
        const current = catalogue.current(id, now);
        const latest = catalogue.versions(id)[0]!;
        return { id, title: (current ?? latest).definition.title, currentVersion: current?.definition.version ?? null, versions: catalogue.versions(id).map((v) => v.definition.version) };
      }),
    });
  });
  app.get('/:typeId', (c) => {
    const { catalogue } = c.var.deps;
    const versions = catalogue.versions(c.req.param('typeId'));
    if (versions.length === 0) throw notFound({ fa: 'نوع پروانه یافت نشد', en: 'licence type not found' });
    const current = catalogue.current(c.req.param('typeId'), Date.now());
    return c.json({
      id: c.req.param('typeId'),
      currentVersion: current?.definition.version ?? null,
      versions: versions.map((v) => ({
        version: v.definition.version, effectiveFrom: v.definition.effectiveFrom, hash: v.hash,
        title: v.definition.title, catalogue: v.definition.catalogue ?? null, licences: v.definition.licences,
      })),
    });
  });
  app.get('/:typeId/diagram', (c) => {
    const { catalogue } = c.var.deps;
    const wanted = c.req.query('version');
    const versions = catalogue.versions(c.req.param('typeId'));
    const chosen = wanted ? versions.find((v) => String(v.definition.version) === wanted) : catalogue.current(c.req.param('typeId'), Date.now()) ?? versions[0];
    if (!chosen) throw notFound({ fa: 'نوع پروانه یافت نشد', en: 'licence type not found' });
    return c.body(toMermaid(chosen.definition), 200, { 'content-type': 'text/vnd.mermaid; charset=utf-8' });
  });
  return app;
}
