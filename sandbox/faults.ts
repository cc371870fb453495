/**
 * Fault injection per registry (and for the national portal simulator):
 * latency, random 503s (seeded), outages in sandbox time, truncated
 * (malformed) JSON bodies, and, for async registries, duplicate and
 * out-of-order callbacks.
 */
import { z } from 'zod';
import { mulberry32 } from './prng.js';
import { REGISTRIES, REGISTRY_NAMES } from './simulated-registries.js';

/** Everything faults can be set on: the registries and the national permits portal. */
export const FAULT_TARGETS = [...REGISTRY_NAMES, 'national-portal'] as const;
/** A registry name or `national-portal`. */
export type FaultTarget = (typeof FAULT_TARGETS)[number];

const CALLBACK_FAULTS = ['duplicateCallbacks', 'reorderCallbacks'] as const;
const isAsync = (target: FaultTarget) => target !== 'national-portal' && REGISTRIES[target].mode === 'async';

/** Body of `POST /control/faults`. */
export const faultSchema = z.object({
  registry: z.enum(FAULT_TARGETS),
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  errorRate: z.number().min(0).max(1).optional(),
  outageUntilMs: z.number().optional(),
  malformed: z.boolean().optional(),
  /** Async registries: every callback is sent twice, the copy a little later. */
  duplicateCallbacks: z.boolean().optional(),
  /** Async registries: answers released together are delivered newest first. */
  reorderCallbacks: z.boolean().optional(),
  /** Seed for this registry's error-rate PRNG; defaults to the sandbox fault seed. */
  seed: z.number().int().optional(),
}).superRefine((fault, ctx) => {
  for (const key of CALLBACK_FAULTS) {
    if (fault[key] && !isAsync(fault.registry)) {
      ctx.addIssue({ code: 'custom', path: [key], message: 'applies only to async registries (security-clearance, criminal-record)' });
    }
  }
});
/** One target's fault settings. */
export type Fault = z.infer<typeof faultSchema>;

/** Type guard for fault targets taken from a URL. */
export function isFaultTarget(name: string): name is FaultTarget {
  return (FAULT_TARGETS as readonly string[]).includes(name);
}

/** What a faulted registry does with the next request. */
export type FaultVerdict =
  | { kind: 'outage'; retryAfterS: number }
  | { kind: 'error' }
  | { kind: 'pass'; malformed: boolean };

/** How an async registry's callbacks misbehave. */
export interface CallbackFaults {
  duplicate: boolean;
  reorder: boolean;
}

/** Active faults, one configuration per registry. */
export class FaultStore {
  private readonly faults = new Map<FaultTarget, { fault: Fault; random: () => number }>();

  constructor(private readonly defaultSeed: number) {}

  /** Replaces the fault configuration of `fault.registry` and reseeds its PRNG. */
  set(fault: Fault): void {
    this.faults.set(fault.registry, { fault, random: mulberry32(fault.seed ?? this.defaultSeed) });
  }

  list(): Fault[] {
    return [...this.faults.values()].map((f) => f.fault);
  }

  /** Clears one registry's faults, or all of them. */
  clear(registry?: FaultTarget): void {
    if (registry) this.faults.delete(registry);
    else this.faults.clear();
  }

  /** Latency to apply before anything else (real milliseconds). */
  latencyMs(registry: FaultTarget): number {
    return this.faults.get(registry)?.fault.latencyMs ?? 0;
  }

  /** Decides the fate of one request at sandbox time `nowMs`. */
  verdict(registry: FaultTarget, nowMs: number): FaultVerdict {
    const entry = this.faults.get(registry);
    if (!entry) return { kind: 'pass', malformed: false };
    const { fault, random } = entry;
    if (fault.outageUntilMs !== undefined && nowMs < fault.outageUntilMs) {
      return { kind: 'outage', retryAfterS: Math.max(1, Math.ceil((fault.outageUntilMs - nowMs) / 1000)) };
    }
    if (fault.errorRate && random() < fault.errorRate) return { kind: 'error' };
    return { kind: 'pass', malformed: fault.malformed ?? false };
  }

  /** Callback faults of `registry`, read when its answers are released. */
  callbackFaults(registry: FaultTarget): CallbackFaults {
    const fault = this.faults.get(registry)?.fault;
    return { duplicate: fault?.duplicateCallbacks ?? false, reorder: fault?.reorderCallbacks ?? false };
  }
}
