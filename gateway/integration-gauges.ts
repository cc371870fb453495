/**
 * Integration gauges on the gateway's Prometheus registry: what the national portal has not
 * acknowledged yet (and how old the oldest is), and registry inquiries still waiting. Only the
 * wiring lives here; the queries are the read model in `services/integration-health.ts`, run at
 * scrape time. An alert on these finds a portal or registry outage before a citizen does.
 */
import { Gauge, type Registry } from 'prom-client';
import type { Database } from '../db/client.js';
import { deadLetterCount } from '../services/portal-dead-letters.js';
import { oldestUndeliveredSeconds, undeliveredNotifications, waitingInquiries } from '../services/integration-health.js';

/**
 * Registers the gauges on `registry`; each scrape runs three small aggregate queries.
 * @example registerIntegrationMetrics(registry, deps.db)
 */
export function registerIntegrationMetrics(registry: Registry, db: Database): void {
  if (registry.getSingleMetric('parvaneh_outbox_undelivered')) return;
  new Gauge({
    name: 'parvaneh_outbox_undelivered', help: 'Notifications the national portal has not acknowledged', registers: [registry],
    async collect() {
      this.set(await undeliveredNotifications(db));
    },
  });
  new Gauge({
    name: 'parvaneh_outbox_oldest_undelivered_seconds', help: 'Age of the oldest notification not yet acknowledged', registers: [registry],
    async collect() {
      this.set(await oldestUndeliveredSeconds(db));
    },
  });
  new Gauge({
    name: 'parvaneh_outbox_dead_letters', help: 'Notifications the national portal refused as malformed, waiting for an operator', registers: [registry],
    async collect() {
      this.set(await deadLetterCount(db));
    },
  });
  new Gauge({
    name: 'parvaneh_inquiries_waiting', help: 'Registry inquiries sent or accepted and not yet answered, by registry', labelNames: ['registry'], registers: [registry],
    async collect() {
      const rows = await waitingInquiries(db);
      this.reset();
      for (const row of rows) this.set({ registry: row.registry }, row.n);
    },
  });
}
