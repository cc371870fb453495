/**
 * The sandbox clock: real time plus an adjustable offset, so tests can jump
 * forward (e.g. ten days) without waiting.
 */

/** Adjustable clock; `now()` is `Date.now() + offsetMs`. */
export class SandboxClock {
  constructor(private offset = 0) {}

  /** Current sandbox time in epoch milliseconds. */
  now(): number {
    return Date.now() + this.offset;
  }

  get offsetMs(): number {
    return this.offset;
  }

  /** Moves the clock forward by `ms` (sandbox time). */
  advance(ms: number): void {
    this.offset += ms;
  }

  /** Sets the offset from real time outright. */
  setOffset(ms: number): void {
    this.offset = ms;
  }

  /** `{ now, offsetMs }` as reported by `GET /control/clock`. */
  snapshot(): { now: string; offsetMs: number } {
    return { now: new Date(this.now()).toISOString(), offsetMs: this.offset };
  }
}
