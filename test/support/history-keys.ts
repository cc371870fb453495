/**
 * The payload key the recorded histories (test/fixtures/histories) are encrypted with: a test key,
 * committed with the fixtures (they hold only sandbox people), so the replay test can decode them.
 */
import { fileURLToPath } from 'node:url';

export const HISTORY_PAYLOAD_KEYS = fileURLToPath(new URL('../fixtures/histories/payload-keys.json', import.meta.url));
