/** The tariff of fees (seed 003, §5): every entry names a service, and each service is published with a fee or "no fee set". */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefinitions } from '../dsl/load.js';
import { feeOf, loadTariff } from './fees.js';

const definitions = loadDefinitions('processes').map((l) => l.definition);
const newest = (id: string) => definitions.filter((d) => d.id === id).sort((a, b) => b.version - a.version)[0]!;

describe('the tariff of fees', () => {
  it('§sla.fees-published: names only services the catalogue has, each a citizen requests', () => {
    const tariff = loadTariff();
    for (const id of Object.keys(tariff.fees)) {
      expect(definitions.some((d) => d.id === id), `${id} is no licence type`).toBe(true);
      expect(feeOf(newest(id), tariff).status, id).not.toBe('not-applicable');
    }
  });

  it('§sla.fees-published: publishes every requested service with a fee or an explicit "no fee set", and no fee for what nobody requests', () => {
    const tariff = loadTariff();
    expect(feeOf(newest('welfare-services-centre'), tariff)).toMatchObject({ status: 'set', amount: 322000, currency: 'IRR', text: { fa: '۳۲۲٬۰۰۰ ریال', en: '322,000 rials' } });
    expect(feeOf(newest('centre-manager'), tariff)).toMatchObject({ status: 'not-set', amount: null, text: { fa: 'هزینه‌ای تعیین نشده است', en: 'no fee set' } });
    expect(feeOf(newest('centre-staff-insurance'), tariff).status).toBe('not-applicable');
    expect(feeOf(newest('licence-suspension'), tariff).status).toBe('not-applicable');
    // A service the tariff does not name is still published, as "no fee set".
    expect(feeOf(newest('welfare-activity-licence-renewal'), { ...tariff, fees: {} }).status).toBe('not-set');
    expect(feeOf(newest('centre-manager'), { ...tariff, fees: { 'centre-manager': { amount: 0, basis: { fa: 'رایگان', en: 'free' }, assumption: 'x.y' } } }).text).toEqual({ fa: 'رایگان', en: 'free' });
  });

  it('refuses a tariff with a fee that is not whole rials, naming the entry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ops-tariff-'));
    const path = join(dir, 'fees.yaml');
    writeFileSync(path, 'currency: IRR\nfees:\n  centre-manager: { amount: 12.5, basis: { fa: الف, en: a }, assumption: a.b }\n');
    expect(() => loadTariff(path)).toThrow(/fees\.centre-manager\.amount/);
  });
});
