/**
 * The test configuration with tracing on in every test file (test/support/tracing-on.ts):
 * `npx vitest run --config test/support/vitest-tracing.config.ts test/replay.test.ts`.
 */
import { mergeConfig } from 'vitest/config';
import base from '../../vitest.config.js';

export default mergeConfig(base, { test: { setupFiles: ['./test/support/tracing-on.ts'] } });
