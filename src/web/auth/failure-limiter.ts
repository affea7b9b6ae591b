/**
 * Counts failed authentication attempts per client address in a sliding window. After
 * `maxFailures` within `windowMs`, the address is refused until its oldest failure leaves the
 * window — guessing a password or token at speed is not possible.
 */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures = 10,
    private readonly windowMs = 10 * 60_000,
  ) {}

  /** Milliseconds until this address may try again, or 0. */
  retryAfterMs(address: string, nowMs = Date.now()): number {
    const recent = this.recent(address, nowMs);
    if (recent.length < this.maxFailures) return 0;
    return (recent[0] ?? nowMs) + this.windowMs - nowMs;
  }

  fail(address: string, nowMs = Date.now()): void {
    const recent = this.recent(address, nowMs);
    recent.push(nowMs);
    this.failures.set(address, recent);
    if (this.failures.size > 10_000) this.sweep(nowMs); // bounded memory under a scan
  }

  private recent(address: string, nowMs: number): number[] {
    return (this.failures.get(address) ?? []).filter((t) => nowMs - t < this.windowMs);
  }

  private sweep(nowMs: number): void {
    for (const [address, times] of this.failures) {
      const recent = times.filter((t) => nowMs - t < this.windowMs);
      if (recent.length) this.failures.set(address, recent);
      else this.failures.delete(address);
    }
  }
}
