/**
 * The licence types Parvaneh offers: every version of every definition, and which version a
 * new application takes on a given day (the highest version already in effect).
 */
import { parseJalali, type HolidayCalendar } from './calendar.js';
import { definitionHash, type LoadedDefinition } from './load.js';
import { parseDefinition } from './parse.js';

export class DefinitionCatalogue {
  private readonly byId = new Map<string, LoadedDefinition[]>();
  private readonly byHash = new Map<string, LoadedDefinition>();

  constructor(definitions: LoadedDefinition[], private readonly calendar: HolidayCalendar) {
    for (const loaded of definitions) {
      const { id, version } = loaded.definition;
      const versions = this.byId.get(id) ?? [];
      const twin = versions.find((v) => v.definition.version === version);
      if (twin && twin.hash !== loaded.hash) {
        throw new Error(`${loaded.file}: ${id} version ${version} is also defined, differently, in ${twin.file}; give the new content a new version`);
      }
      if (!twin) versions.push(loaded);
      versions.sort((a, b) => b.definition.version - a.definition.version);
      this.byId.set(id, versions);
      this.byHash.set(loaded.hash, loaded);
    }
  }

  /** Ids of every licence type. */
  ids(): string[] {
    return [...this.byId.keys()].sort();
  }

  /** Every version of a licence type, newest first. */
  versions(id: string): LoadedDefinition[] {
    return this.byId.get(id) ?? [];
  }

  /** The version a new application started at `atMs` runs: the newest already effective. */
  current(id: string, atMs: number): LoadedDefinition | undefined {
    return this.versions(id).find((v) => this.effectiveFromMs(v) <= atMs);
  }

  /**
   * Definitions pinned by hash in an earlier spelling of the language (the sources applications
   * and licences were pinned to): each whose content, respelled, is a definition of this
   * catalogue is found by its old hash too. A source whose meaning differs stays unknown.
   * @returns the old hashes adopted.
   */
  adopt(pinned: readonly { hash: string; source: string }[]): string[] {
    const adopted: string[] = [];
    for (const { hash, source } of pinned) {
      if (this.byHash.has(hash)) continue;
      const definition = parseDefinition(source, hash).definition;
      const twin = definition && this.byHash.get(definitionHash(definition));
      if (!twin) continue;
      this.byHash.set(hash, twin);
      adopted.push(hash);
    }
    return adopted;
  }

  /** A definition by the content hash an application is pinned to. */
  pinned(hash: string): LoadedDefinition | undefined {
    return this.byHash.get(hash);
  }

  /**
   * The changes a licence offers at `atMs`, change name → lifecycle process: those of the kind in
   * the definition it was issued under (`hash`), and those a later version of the same process,
   * in effect at `atMs`, extends to licences issued before it (`earlierLicences`); where both name
   * a change, the newest version's word stands. A licence keeps its own definition: the running
   * workflows never read this table, so no recorded history changes. Nothing for an unknown hash.
   * @example catalogue.changesOf(licence.definitionHash, 'principle-agreement', Date.now()).renewal // 'principle-agreement-renewal'
   */
  changesOf(hash: string, kind: string, atMs: number): Record<string, string> {
    const issuedUnder = this.pinned(hash);
    if (!issuedUnder) return {};
    const { id, version } = issuedUnder.definition;
    const changes = { ...issuedUnder.definition.licences[kind]?.changes };
    const later = this.versions(id).filter((v) => v.definition.version > version && this.effectiveFromMs(v) <= atMs).reverse();
    for (const { definition } of later) {
      const extended = definition.licences[kind];
      for (const change of extended?.earlierLicences?.changes ?? []) changes[change] = extended!.changes[change]!;
    }
    return changes;
  }

  effectiveFromMs(loaded: LoadedDefinition): number {
    return parseJalali(loaded.definition.effectiveFrom, this.calendar);
  }
}
