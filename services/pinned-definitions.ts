/**
 * Applications and licences are pinned to a definition's content hash. When the language is
 * respelled (docs/dsl.md, "The first spelling"), the files' hashes change though their meaning
 * does not: the catalogue adopts the hashes the database still names, from the sources it kept.
 */
import type { Database } from '../db/client.js';
import { definitions } from '../db/schema/index.js';
import type { DefinitionCatalogue } from '../dsl/catalogue.js';

/**
 * Lets the catalogue find every definition the database has pinned in an earlier spelling.
 * @example await adoptPinnedDefinitions(db, catalogue) // before the gateway serves
 */
export async function adoptPinnedDefinitions(db: Database, catalogue: DefinitionCatalogue): Promise<string[]> {
  const pinned = await db.select({ hash: definitions.hash, source: definitions.source }).from(definitions);
  return catalogue.adopt(pinned);
}
