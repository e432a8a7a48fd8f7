// A circuit breaker for the model endpoint: after `threshold` consecutive failures it opens and
// calls fail fast (the deterministic answer goes out at once instead of after a timeout); after
// `coolDownMs` one trial call is let through (half-open) and its outcome closes or re-opens it.

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerOptions {
  threshold: number;
  coolDownMs: number;
  now?: () => number;
}

export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | null = null;
  private trialInFlight = false;
  private readonly now: () => number;

  constructor(private readonly opts: BreakerOptions) {
    this.now = opts.now ?? Date.now;
  }

  get state(): BreakerState {
    if (this.openedAt === null) return 'closed';
    return this.now() - this.openedAt >= this.opts.coolDownMs ? 'half_open' : 'open';
  }

  /** Whether a call may go out now; in half-open state only one trial at a time. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  success(): void {
    this.failures = 0;
    this.openedAt = null;
    this.trialInFlight = false;
  }

  failure(): void {
    this.failures += 1;
    if (this.trialInFlight || this.failures >= this.opts.threshold) this.openedAt = this.now();
    this.trialInFlight = false;
  }
}
