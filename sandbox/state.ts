/**
 * Everything a running sandbox holds: its clock, inquiries, faults, signing
 * key, the portal simulator's ledger, and the ticker that releases async
 * answers when they fall due.
 */
import type { JSONWebKeySet, JWK } from 'jose';
import { CallbackDelivery } from './callback-delivery.js';
import { CallbackDispatch } from './callback-dispatch.js';
import { SandboxClock } from './clock.js';
import { FaultStore } from './faults.js';
import { InquiryStore } from './inquiries.js';
import { NotificationLedger } from './portal/ledger.js';
import { createSignatureVerifier, type SignatureVerifier } from './portal/signature.js';
import { REGISTRIES, REGISTRY_NAMES } from './simulated-registries.js';
import { createRegistrySigner, type RegistrySigner } from './signing.js';

/** The registries that answer by callback. */
const ASYNC_REGISTRIES = REGISTRY_NAMES.filter((name) => REGISTRIES[name].mode === 'async');

/** Options for creating a sandbox. */
export interface SandboxOptions {
  /** Gateway base URL receiving async answers, e.g. http://127.0.0.1:8080. Unset: answers stay pending. */
  callbackBaseUrl?: string;
  /** Default answer delay of async registries, in sandbox time (default 3000 ms). */
  asyncDelayMs?: number;
  /** Initial offset of the sandbox clock from real time. */
  clockOffsetMs?: number;
  /** Each async registry's ES256 private key to sign its callbacks with; a registry not named gets its own, generated at start. */
  registryKeys?: Partial<Record<string, { privateJwk: JWK }>>;
  /** Seed of the fault-injection PRNG (default 1). */
  faultSeed?: number;
  /** Parvaneh's JWKS URL, against which the portal simulator verifies notification signatures. */
  parvanehJwksUrl?: string;
  /** A fixed Parvaneh JWKS for the portal simulator (tests); tried before `parvanehJwksUrl`. */
  parvanehJwks?: JSONWebKeySet;
  /** Operational log lines (never contain sms message text). */
  log?: (line: string) => void;
  /** A server span per request, joined to the caller's `traceparent`, and callbacks that carry the inquiry's trace on (platform/tracing.ts); default none. */
  tracing?: boolean;
}

/** Real-time period of the due-answer ticker. */
const TICK_MS = 100;

/** Live state of one sandbox instance. */
export class SandboxState {
  readonly clock: SandboxClock;
  readonly inquiries = new InquiryStore();
  readonly faults: FaultStore;
  /** Each async registry's own callback signer. */
  private readonly signers: Map<string, RegistrySigner>;
  readonly asyncDelayMs: number;
  readonly callbackBaseUrl: string | undefined;
  readonly log: (line: string) => void;
  /** What the national permits portal simulator accepted and refused. */
  readonly portalNotifications = new NotificationLedger();
  /** Checks a portal notification's signature against Parvaneh's keys. */
  readonly verifyPortalSignature: SignatureVerifier;
  private readonly delivery: CallbackDelivery | undefined;
  private readonly dispatch: CallbackDispatch | undefined;
  private readonly ticker: NodeJS.Timeout;

  constructor(opts: SandboxOptions = {}) {
    this.clock = new SandboxClock(opts.clockOffsetMs ?? 0);
    this.faults = new FaultStore(opts.faultSeed ?? 1);
    this.signers = new Map(ASYNC_REGISTRIES.map((registry) => [registry, createRegistrySigner(opts.registryKeys?.[registry]?.privateJwk)]));
    this.asyncDelayMs = opts.asyncDelayMs ?? 3000;
    this.callbackBaseUrl = opts.callbackBaseUrl;
    this.log = opts.log ?? (() => undefined);
    this.delivery = opts.callbackBaseUrl
      ? new CallbackDelivery({
          callbackBaseUrl: opts.callbackBaseUrl,
          signerOf: (registry) => this.signerOf(registry),
          isCurrent: (r) => this.inquiries.isCurrent(r),
          log: this.log,
        })
      : undefined;
    this.dispatch = this.delivery ? new CallbackDispatch(this.delivery, this.faults) : undefined;
    this.verifyPortalSignature = createSignatureVerifier({ jwksUrl: opts.parvanehJwksUrl, jwks: opts.parvanehJwks });
    this.ticker = setInterval(() => this.releaseDueAnswers(), TICK_MS);
    this.ticker.unref();
  }

  /** The callback signer of an async registry. */
  signerOf(registry: string): RegistrySigner {
    const signer = this.signers.get(registry);
    if (!signer) throw new Error(`${registry} sends no callbacks`);
    return signer;
  }

  /** Each async registry's public key set, by registry: what the gateway's REGISTRY_JWKS holds. */
  registryJwks(): Record<string, JSONWebKeySet> {
    return Object.fromEntries([...this.signers].map(([registry, signer]) => [registry, signer.jwks]));
  }

  /** Releases every async answer due at the current sandbox time and starts its callback. */
  releaseDueAnswers(): void {
    for (const record of this.inquiries.takeDue(this.clock.now())) {
      record.answeredAt = record.dueAt;
      this.log(`answer due: ${record.registry}/${record.inquiryId}`);
      this.dispatch?.send(record);
    }
  }

  /** Forgets all inquiries, faults and portal notifications (keys and clock stay). */
  reset(): void {
    this.inquiries.clear();
    this.faults.clear();
    this.portalNotifications.clear();
  }

  /** Stops the ticker and all callback retries. */
  close(): void {
    clearInterval(this.ticker);
    this.dispatch?.stop();
    this.delivery?.stop();
  }
}
