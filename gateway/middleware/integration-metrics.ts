/**
 * Integration gauges, read from PostgreSQL at scrape time: what the national portal has not
 * acknowledged yet (and how old the oldest is), and registry inquiries still waiting. An alert on
 * these finds a portal or registry outage before a citizen does.
 */
import { Gauge, type Registry } from 'prom-client';
import { inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { inquiries, outbox } from '../../db/schema/index.js';

/**
 * Registers the gauges on `registry`; each scrape runs two small aggregate queries.
 * @example registerIntegrationMetrics(registry, deps.db)
 */
export function registerIntegrationMetrics(registry: Registry, db: Database): void {
  if (registry.getSingleMetric('parvaneh_outbox_undelivered')) return;
  new Gauge({
    name: 'parvaneh_outbox_undelivered', help: 'Notifications the national portal has not acknowledged', registers: [registry],
    async collect() {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(outbox).where(isNull(outbox.deliveredAt));
      this.set(row?.n ?? 0);
    },
  });
  new Gauge({
    name: 'parvaneh_outbox_oldest_undelivered_seconds', help: 'Age of the oldest notification not yet acknowledged', registers: [registry],
    async collect() {
      const [row] = await db.select({ age: sql<number | null>`extract(epoch from now() - min(${outbox.createdAt}))::float8` })
        .from(outbox).where(isNull(outbox.deliveredAt));
      this.set(row?.age ?? 0);
    },
  });
  new Gauge({
    name: 'parvaneh_inquiries_waiting', help: 'Registry inquiries sent or accepted and not yet answered, by registry', labelNames: ['registry'], registers: [registry],
    async collect() {
      const rows = await db.select({ registry: inquiries.registry, n: sql<number>`count(*)::int` }).from(inquiries)
        .where(inArray(inquiries.status, ['sent', 'accepted'])).groupBy(inquiries.registry);
      this.reset();
      for (const row of rows) this.set({ registry: row.registry }, row.n);
    },
  });
}
