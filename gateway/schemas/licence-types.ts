/** Licence types on the wire: the processes written in the DSL and their versions. */
import { z } from 'zod';
import { JsonObject, Title } from '../openapi/common.js';
import { responseSchema } from '../openapi/registry.js';

export const Fee = responseSchema('Fee', z.object({
  status: z.enum(['set', 'not-set', 'not-applicable'])
    .describe('`set`: the authority set the fee (`amount` 0 is free); `not-set`: no fee set yet; `not-applicable`: nobody requests this process (a standing process, a change only an office starts).'),
  amount: z.number().int().min(0).nullable().describe('Whole rials, when set.'),
  currency: z.literal('IRR').nullable(),
  basis: Title.nullable().describe('The tariff the fee rests on.'),
  text: Title.describe('The fee as a person reads it: `۳۲۲٬۰۰۰ ریال`, `no fee set`.'),
}).describe('The fee of the service (seed 003, §5: stated separately for each service), from the authority\'s tariff (`processes/tariffs/fees.yaml`).'));

export const LicenceTypeSummary = responseSchema('LicenceTypeSummary', z.object({
  id: z.string(),
  kind: z.enum(['application', 'lifecycle', 'call', 'standing']).describe('`application`: citizens apply for it; `lifecycle`: runs a change to an issued licence; `call`: a competitive call, registered in through `POST /v1/calls/{callId}/registrations`; `standing`: runs beside an issued licence from its issue (renewal reminders, expiry, recurring obligations).'),
  title: Title,
  currentVersion: z.number().int().nullable().describe('The version a new application takes today; null before the first takes effect.'),
  versions: z.array(z.number().int()),
  fee: Fee,
}));

export const LicenceTypeList = responseSchema('LicenceTypeList', z.object({ items: z.array(LicenceTypeSummary) }));

export const LicenceTypeVersion = responseSchema('LicenceTypeVersion', z.object({
  version: z.number().int(),
  effectiveFrom: z.string().describe('Jalali date the version takes effect: YYYY/MM/DD.'),
  hash: z.string(),
  title: Title,
  catalogue: JsonObject.nullable().describe('The national permits portal\'s catalogue entry: authority, legal basis, documents, days to issue, validity.'),
  licences: JsonObject.describe('The licences the process issues, by kind.'),
}));

export const LicenceTypeDetail = responseSchema('LicenceTypeDetail', z.object({
  id: z.string(),
  currentVersion: z.number().int().nullable(),
  fee: Fee,
  versions: z.array(LicenceTypeVersion).describe('Newest first.'),
}));

export const LicenceTypeId = z.object({ typeId: z.string().regex(/^[a-z][a-z0-9-]*$/).meta({ examples: ['welfare-services-centre'] }) });
export const DiagramQuery = z.object({ version: z.coerce.number().int().min(1).optional().describe('A version number; default the current one.') }).strict();

const SHAPE_NAMES = ['decision', 'exchange', 'pause', 'register', 'ending', 'cohort', 'box'] as const;

export const ProcessGraphNode = responseSchema('ProcessGraphNode', z.object({
  id: z.string().describe('The step id (`join` nodes: `<parallel step id>_join`).'),
  kind: z.string().describe('The step type (`check`, `task`, `inquire`, …), or `join`: where a parallel step\'s branches meet.'),
  shape: z.enum(SHAPE_NAMES).describe('What the node stands for, as the Mermaid diagram draws it: `decision` (a diamond), `exchange` (a registry or portal exchange), `pause`, `register` (a licence written or a process started), `ending`, `cohort` (a call\'s ranking, a join), `box`.'),
  title: Title.describe('The step\'s title, or its kind\'s name when it has none.'),
  detail: z.union([Title, z.string()]).nullable().describe('The second line: the rules\' reasons, the registry and its deadline, the role and its due time…; a plain string when it holds only codes.'),
  role: z.enum(['task', 'finish']).nullable().describe('`task`: a person decides here; `finish`: the process ends here.'),
}));

export const ProcessGraphEdge = responseSchema('ProcessGraphEdge', z.object({
  from: z.string(),
  to: z.string(),
  label: Title.nullable().describe('What the edge is taken on: an outcome, a case, a rule failed, a deadline passed.'),
  kind: z.enum(['next', 'otherwise', 'late', 'outcome', 'case', 'branch', 'join'])
    .describe('`next`; `otherwise`: a condition not met; `late`: time ran out; `outcome`: a decision\'s outcome; `case`: a switch\'s case; `branch`: a parallel step to a branch\'s first step; `join`: a branch\'s last step to its join node.'),
}));

export const ProcessGraph = responseSchema('ProcessGraph', z.object({
  typeId: z.string(),
  version: z.number().int(),
  nodes: z.array(ProcessGraphNode).describe('Every step in document order, then the join nodes.'),
  edges: z.array(ProcessGraphEdge).describe('In the order the Mermaid diagram lists them.'),
  start: z.string().describe('The first step\'s id.'),
}).describe('A definition version\'s step graph, the same the Mermaid diagram draws, for a client that lays it out itself.'));
