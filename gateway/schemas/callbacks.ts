/** A registry's late answer, delivered by the registry itself. */
import { z } from 'zod';
import { requestSchema, responseSchema } from '../openapi/registry.js';

export const RegistryCallback = requestSchema('RegistryCallback', z.object({
  inquiryId: z.string().min(1).describe('The inquiry id we sent (also our Idempotency-Key to the registry).'),
  registry: z.string().describe('Must equal the `{registry}` in the path.'),
  nationalCode: z.string().optional().describe('The subject of the inquiry, as the registry echoes it.'),
  answer: z.record(z.string(), z.unknown()).describe('The answer in the registry\'s own format.'),
  answeredAt: z.string().describe('When the registry answered (ISO 8601).'),
}).strict());

export const CallbackReceived = responseSchema('CallbackReceived', z.object({
  inquiryId: z.string(),
  status: z.enum(['delivered', 'duplicate', 'late']).describe('`duplicate`: already recorded, nothing changed; `late`: recorded after the inquiry timed out.'),
}));

export const RegistryParam = z.object({
  registry: z.string().regex(/^[a-z][a-z0-9-]*$/).meta({ description: 'The registry answering: the asynchronous ones are `security-clearance` and `criminal-record`.', examples: ['criminal-record'] }),
});
