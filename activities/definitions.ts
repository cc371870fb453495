/** Resolves the definition a subprocess starts with (files are read outside the workflow). */
import type { DefinitionCatalogue } from '../dsl/catalogue.js';
import type { ProcessDefinition } from '../dsl/schema.js';

export function createDefinitionActivities(catalogue: DefinitionCatalogue) {
  const inEffect = (processId: string, atIso: string) => {
    const loaded = catalogue.current(processId, Date.parse(atIso));
    if (!loaded) throw new Error(`no version of process ${processId} is in effect at ${atIso}`);
    return loaded;
  };
  return {
    /** The version of `processId` in effect at `atIso`, with its content hash. */
    async resolveDefinition(processId: string, atIso: string): Promise<{ definition: ProcessDefinition; hash: string }> {
      const { definition, hash } = inEffect(processId, atIso);
      return { definition, hash };
    },

    /** Which version of `processId` is in effect at `atIso`, without its content: all a lean run records. */
    async definitionInEffect(processId: string, atIso: string): Promise<{ id: string; version: number; hash: string }> {
      const { definition, hash } = inEffect(processId, atIso);
      return { id: definition.id, version: definition.version, hash };
    },

    /** The definition a process was started pinned to by its hash alone (by a lean run). */
    async pinnedDefinition(hash: string): Promise<ProcessDefinition> {
      const loaded = catalogue.pinned(hash);
      if (!loaded) throw new Error(`no definition has the hash ${hash}`);
      return loaded.definition;
    },
  };
}

export type DefinitionActivities = ReturnType<typeof createDefinitionActivities>;
