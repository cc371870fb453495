/**
 * The fee of each service, as the public catalogue publishes it (seed 003, §5: the fee is stated
 * separately for each service). The authority sets the fees in `processes/tariffs/fees.yaml`, apart
 * from the process files: a tariff changes on its own schedule, and a fee is not part of a
 * process's content (see the file's header).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import type { ProcessDefinition, Text } from '../dsl/schema.js';

export const DEFAULT_TARIFF_PATH = fileURLToPath(new URL('../processes/tariffs/fees.yaml', import.meta.url));

const TextSchema = z.object({ fa: z.string().min(1), en: z.string().min(1) }).strict();
const Tariff = z.object({
  currency: z.literal('IRR'),
  fees: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), z.object({
    amount: z.number().int().min(0),
    basis: TextSchema,
    assumption: z.string().regex(/^[a-z][a-z0-9.-]*$/),
  }).strict().nullable()),
}).strict();
export type Tariff = z.infer<typeof Tariff>;

/** What the catalogue says of a service's fee. */
export interface PublishedFee {
  /** `set`: the authority set it (0 is free); `not-set`: no fee set yet; `not-applicable`: nobody requests this service. */
  status: 'set' | 'not-set' | 'not-applicable';
  amount: number | null;
  currency: 'IRR' | null;
  basis: Text | null;
  /** The fee as a person reads it. */
  text: Text;
}

/** Reads and checks the tariff; throws naming the file and the entry. */
export function loadTariff(path: string = DEFAULT_TARIFF_PATH): Tariff {
  const parsed = Tariff.safeParse(parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${path}: ${issue.path.join('.') || '(file)'}: ${issue.message}`);
  }
  return parsed.data;
}

let shipped: Tariff | undefined;

const persianDigits = (n: number) => n.toLocaleString('fa-IR');

/**
 * Whether a citizen (through the portal) requests this process: an application, a call, or a change
 * the portal may start. The others (standing processes, changes only an office starts) have no fee.
 */
function requested(definition: ProcessDefinition): boolean {
  if (definition.kind === 'application' || definition.kind === 'call') return true;
  return definition.kind === 'lifecycle' && (definition.change?.startedBy ?? []).includes('portal');
}

/**
 * The fee the catalogue publishes for a service, from the tariff (the shipped file unless given).
 * @example feeOf(catalogue.current('welfare-services-centre', now)!.definition) // { status: 'set', amount: 322000, … }
 */
export function feeOf(definition: ProcessDefinition, tariff: Tariff = (shipped ??= loadTariff())): PublishedFee {
  if (!requested(definition)) {
    return { status: 'not-applicable', amount: null, currency: null, basis: null, text: { fa: 'خدمت درخواستی نیست؛ هزینه ندارد', en: 'not a service anyone requests; no fee' } };
  }
  const fee = tariff.fees[definition.id];
  if (!fee) return { status: 'not-set', amount: null, currency: null, basis: null, text: { fa: 'هزینه‌ای تعیین نشده است', en: 'no fee set' } };
  const text = fee.amount === 0
    ? { fa: 'رایگان', en: 'free' }
    : { fa: `${persianDigits(fee.amount)} ریال`, en: `${fee.amount.toLocaleString('en-US')} rials` };
  return { status: 'set', amount: fee.amount, currency: tariff.currency, basis: fee.basis, text };
}
