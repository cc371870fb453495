/** Resolves the definition a subprocess starts with (files are read outside the workflow). */
import type { DefinitionCatalogue } from '../dsl/catalogue.js';
import type { ProcessDefinition } from '../dsl/schema.js';

export function createDefinitionActivities(catalogue: DefinitionCatalogue) {
  return {
    /** The version of `processId` in effect at `atIso`, with its content hash. */
    async resolveDefinition(processId: string, atIso: string): Promise<{ definition: ProcessDefinition; hash: string }> {
      const loaded = catalogue.current(processId, Date.parse(atIso));
      if (!loaded) throw new Error(`no version of process ${processId} is in effect at ${atIso}`);
      return { definition: loaded.definition, hash: loaded.hash };
    },
  };
}

export type DefinitionActivities = ReturnType<typeof createDefinitionActivities>;
