import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHolidayCalendar } from './calendar-load.js';
import { DefinitionCatalogue } from './catalogue.js';
import { toMermaid } from './diagram.js';
import { jsonSchemaText } from './json-schema.js';
import { checkSource, loadDefinitions } from './load.js';

const brokenDir = 'test/fixtures/broken';

describe('the definition language', () => {
  it('accepts every shipped licence process', () => {
    const loaded = loadDefinitions('processes');
    expect(loaded.map((l) => `${l.definition.id}@v${l.definition.version}`).sort()).toEqual([
      'centre-manager-appointment@v1', 'centre-manager-appointment@v2', 'centre-manager-leave@v1', 'centre-manager-leave@v2',
      'centre-manager@v1', 'centre-manager@v2', 'centre-manager@v3', 'centre-manager@v4', 'centre-staff-insurance@v1',
      'centre-staff-insurance@v2', 'health-services-office-call-1405@v1', 'health-services-office-call-1405@v2', 'health-services-office-call-1405@v3',
      'licence-closure@v1', 'licence-expiry@v1', 'licence-expiry@v2', 'licence-revocation@v1', 'licence-suspension@v1',
      'principle-agreement-renewal@v1', 'principle-agreement-term@v1', 'successor-nomination@v1', 'successor-nomination@v2',
      'successor-nomination@v3', 'successor-nomination@v4', 'successor-nomination@v5', 'violation-report@v1', 'violation-report@v2',
      'welfare-activity-licence-renewal@v1', 'welfare-activity-licence-term@v1', 'welfare-activity-licence-term@v2',
      'welfare-services-centre@v1', 'welfare-services-centre@v2', 'welfare-services-centre@v3', 'welfare-services-centre@v4',
    ]);
  });

  const brokenFiles = readdirSync(brokenDir).filter((f) => f.endsWith('.yaml'));
  it('has a corpus of broken definitions to check', () => expect(brokenFiles.length).toBeGreaterThanOrEqual(20));

  for (const name of brokenFiles) {
    it(`reports the specific error, with its line, in ${name}`, () => {
      const file = join(brokenDir, name);
      const source = readFileSync(file, 'utf8');
      const [, code, line, column] = /^# expect: (\S+) at (\d+):(\d+)/.exec(source) ?? [];
      expect(code, 'fixture header').toBeDefined();
      const { loaded, diagnostics } = checkSource(source, file, new Set(['welfare-services-centre']));
      expect(loaded).toBeUndefined();
      expect(diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`)).toContain(`${code}@${line}:${column}`);
      for (const d of diagnostics) expect(d.file).toBe(file);
    });
  }

  it('gives the same hash to the same content however it is formatted', () => {
    const source = readFileSync('processes/centre-manager/v1.yaml', 'utf8');
    const reformatted = `# a comment changes nothing\n${source.replace(/\n\n/g, '\n')}`;
    const a = checkSource(source, 'a.yaml').loaded!;
    const b = checkSource(reformatted, 'b.yaml').loaded!;
    const c = checkSource(source.replace('due: { months: 3 }', 'due: { months: 4 }'), 'c.yaml').loaded!;
    expect(a.hash).toBe(b.hash);
    expect(c.hash).not.toBe(a.hash);
  });

  it('chooses for a new application the newest version already in effect', () => {
    const source = readFileSync('processes/centre-manager/v1.yaml', 'utf8');
    const v1 = checkSource(source, 'v1.yaml').loaded!;
    const v2 = checkSource(source.replace('version: 1', 'version: 2').replace('effectiveFrom: 1398/09/04', 'effectiveFrom: 1406/01/01'), 'v2.yaml').loaded!;
    const catalogue = new DefinitionCatalogue([v1, v2], loadHolidayCalendar());
    expect(catalogue.current('centre-manager', Date.UTC(2026, 10, 23))?.definition.version).toBe(1);
    expect(catalogue.current('centre-manager', Date.UTC(2027, 2, 22))?.definition.version).toBe(2);
    expect(catalogue.pinned(v1.hash)?.definition.version).toBe(1);
  });

  it('offers a licence issued under an earlier version the changes a later version in effect extends to it (earlierLicences)', () => {
    const source = readFileSync('processes/welfare-services-centre/v2.yaml', 'utf8');
    const v2 = checkSource(source, 'v2.yaml').loaded!;
    const extending = (version: number, effectiveFrom: string, earlier: string) => checkSource(source
      .replace('version: 2', `version: ${version}`).replace('effectiveFrom: 1405/09/10', `effectiveFrom: ${effectiveFrom}`)
      .replace('changes: { suspension: licence-suspension, revocation: licence-revocation }',
        `changes: { renewal: renewal-v${version}, suspension: licence-suspension, revocation: licence-revocation }\n    ${earlier}`), `v${version}.yaml`).loaded!;
    const v3 = extending(3, '1405/09/10', 'earlierLicences: { changes: [renewal] }');
    const v4 = extending(4, '1406/01/01', 'earlierLicences: { changes: [renewal] }');
    const v5 = extending(5, '1406/01/01', '');
    const catalogue = new DefinitionCatalogue([v2, v3, v4, v5], loadHolidayCalendar());
    const on1405 = Date.UTC(2026, 11, 1, 12);
    const on1406 = Date.UTC(2027, 3, 1);
    // Version 2's agreement gains version 3's renewal; its own changes stay; its activity licence gains nothing.
    expect(catalogue.changesOf(v2.hash, 'principle-agreement', on1405)).toEqual({ renewal: 'renewal-v3', suspension: 'licence-suspension', revocation: 'licence-revocation' });
    expect(catalogue.changesOf(v2.hash, 'principle-agreement', Date.UTC(2026, 10, 1))).toEqual({ suspension: 'licence-suspension', revocation: 'licence-revocation' });
    expect(catalogue.changesOf(v2.hash, 'activity-licence', on1405)).toEqual(v2.definition.licences['activity-licence']!.changes);
    // The newest version that extends a change has the last word; one that does not extend it changes nothing for older licences.
    expect(catalogue.changesOf(v2.hash, 'principle-agreement', on1406).renewal).toBe('renewal-v4');
    expect(catalogue.changesOf(v3.hash, 'principle-agreement', on1406).renewal).toBe('renewal-v4');
    expect(catalogue.changesOf(v4.hash, 'principle-agreement', on1406).renewal).toBe('renewal-v4');
    expect(catalogue.changesOf(v5.hash, 'principle-agreement', on1406).renewal).toBe('renewal-v5');
    expect(catalogue.changesOf('unknown', 'principle-agreement', on1406)).toEqual({});
  });

  it('refuses two different contents under one id and version', () => {
    const source = readFileSync('processes/centre-manager/v1.yaml', 'utf8');
    const v1 = checkSource(source, 'v1.yaml').loaded!;
    const edited = checkSource(source.replace('due: { months: 3 }', 'due: { months: 4 }'), 'edited.yaml').loaded!;
    expect(() => new DefinitionCatalogue([v1, edited], loadHolidayCalendar())).toThrow(/give the new content a new version/);
  });

  it('draws a Mermaid flowchart labelled in Persian and English', () => {
    const { loaded } = checkSource(readFileSync('processes/welfare-services-centre/v1.yaml', 'utf8'), 'w.yaml');
    const mermaid = toMermaid(loaded!.definition);
    expect(mermaid.startsWith('flowchart TD\n')).toBe(true);
    expect(mermaid).toContain('s_initial_interview["مصاحبه اولیه و نیازسنجی شهرستان<br/>county initial interview');
    expect(mermaid).toContain('s_vetting_join --> s_vetting_result');
    expect(mermaid).toMatch(/s_initial_interview -->\|"رد در مصاحبه<br\/>reject at the interview"\| s_rejected_at_interview/);
  });

  it('keeps every committed process diagram in step with its definition', () => {
    for (const { definition } of loadDefinitions('processes')) {
      expect(readFileSync(`docs/processes/${definition.id}-v${definition.version}.mmd`, 'utf8'), definition.id).toBe(toMermaid(definition));
    }
  });

  it('keeps the committed JSON Schema in step with the zod source', () => {
    expect(readFileSync('dsl/process.schema.json', 'utf8')).toBe(jsonSchemaText());
  });
});
