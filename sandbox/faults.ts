/**
 * Fault injection per registry: latency, random 503s (seeded), outages in
 * sandbox time, and truncated (malformed) JSON bodies.
 */
import { z } from 'zod';
import { mulberry32 } from './prng.js';
import { REGISTRY_NAMES, type RegistryName } from './registries.js';

/** Body of `POST /control/faults`. */
export const faultSchema = z.object({
  registry: z.enum(REGISTRY_NAMES),
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  errorRate: z.number().min(0).max(1).optional(),
  outageUntilMs: z.number().optional(),
  malformed: z.boolean().optional(),
  /** Seed for this registry's error-rate PRNG; defaults to the sandbox fault seed. */
  seed: z.number().int().optional(),
});
export type Fault = z.infer<typeof faultSchema>;

/** What a faulted registry does with the next request. */
export type FaultVerdict =
  | { kind: 'outage'; retryAfterS: number }
  | { kind: 'error' }
  | { kind: 'pass'; malformed: boolean };

/** Active faults, one configuration per registry. */
export class FaultStore {
  private readonly faults = new Map<RegistryName, { fault: Fault; random: () => number }>();

  constructor(private readonly defaultSeed: number) {}

  /** Replaces the fault configuration of `fault.registry` and reseeds its PRNG. */
  set(fault: Fault): void {
    this.faults.set(fault.registry, { fault, random: mulberry32(fault.seed ?? this.defaultSeed) });
  }

  list(): Fault[] {
    return [...this.faults.values()].map((f) => f.fault);
  }

  /** Clears one registry's faults, or all of them. */
  clear(registry?: RegistryName): void {
    if (registry) this.faults.delete(registry);
    else this.faults.clear();
  }

  /** Latency to apply before anything else (real milliseconds). */
  latencyMs(registry: RegistryName): number {
    return this.faults.get(registry)?.fault.latencyMs ?? 0;
  }

  /** Decides the fate of one request at sandbox time `nowMs`. */
  verdict(registry: RegistryName, nowMs: number): FaultVerdict {
    const entry = this.faults.get(registry);
    if (!entry) return { kind: 'pass', malformed: false };
    const { fault, random } = entry;
    if (fault.outageUntilMs !== undefined && nowMs < fault.outageUntilMs) {
      return { kind: 'outage', retryAfterS: Math.max(1, Math.ceil((fault.outageUntilMs - nowMs) / 1000)) };
    }
    if (fault.errorRate && random() < fault.errorRate) return { kind: 'error' };
    return { kind: 'pass', malformed: fault.malformed ?? false };
  }
}
