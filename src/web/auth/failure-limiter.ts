/**
 * Limits authentication attempts per client in a sliding window. An attempt is counted when it
 * STARTS, before any (asynchronous) password check: 300 concurrent guesses get at most
 * `maxAttempts` checks, the rest a 429. A successful attempt is given back, so a user who signs
 * in is not counted; after `maxAttempts` failures the client waits until the oldest leaves the
 * window.
 */
export class FailureLimiter {
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly maxAttempts = 10,
    private readonly windowMs = 10 * 60_000,
  ) {}

  /** Milliseconds until this client may try again, or 0. */
  retryAfterMs(client: string, nowMs = Date.now()): number {
    const recent = this.recent(client, nowMs);
    if (recent.length < this.maxAttempts) return 0;
    return (recent[0] ?? nowMs) + this.windowMs - nowMs;
  }

  /** Counts an attempt that is about to be checked; false (and nothing counted) when over the limit. */
  begin(client: string, nowMs = Date.now()): boolean {
    const recent = this.recent(client, nowMs);
    if (recent.length >= this.maxAttempts) return false;
    recent.push(nowMs);
    this.attempts.set(client, recent);
    if (this.attempts.size > 10_000) this.sweep(nowMs); // bounded memory under a scan
    return true;
  }

  /** The attempt begun at `startedAtMs` succeeded: it does not count. */
  succeeded(client: string, startedAtMs: number): void {
    const times = this.attempts.get(client);
    const at = times?.lastIndexOf(startedAtMs) ?? -1;
    if (times && at >= 0) times.splice(at, 1);
  }

  private recent(client: string, nowMs: number): number[] {
    return (this.attempts.get(client) ?? []).filter((t) => nowMs - t < this.windowMs);
  }

  private sweep(nowMs: number): void {
    for (const [client, times] of this.attempts) {
      const recent = times.filter((t) => nowMs - t < this.windowMs);
      if (recent.length) this.attempts.set(client, recent);
      else this.attempts.delete(client);
    }
  }
}
