import type { EventRow } from './events.js';

/** Write-behind keeps at most this many unflushed events; the oldest go first, reported. */
export const MAX_PENDING_EVENTS = 10_000;

/**
 * What write-behind mode holds between flushes: the latest value per key (null for a removal),
 * the unflushed events, and the one timer that flushes them.
 */
export class PendingWrites {
  readonly status = new Map<string, object | null>();
  events: EventRow[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly flushMs: number,
    private readonly flush: () => void,
  ) {}

  get count(): number {
    return this.status.size + this.events.length;
  }

  setStatus(key: string, value: object | null): void {
    this.status.set(key, value);
    this.schedule();
  }

  /** Queues an event; says so when the oldest had to be dropped to make room. */
  addEvent(row: EventRow): string | null {
    const full = this.events.length >= MAX_PENDING_EVENTS;
    if (full) this.events.shift();
    this.events.push(row);
    this.schedule();
    return full ? `over ${MAX_PENDING_EVENTS} unflushed events; the oldest was dropped` : null;
  }

  clear(): void {
    this.status.clear();
    this.events = [];
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.flushMs);
    // The engine decides when the process ends; exit and close() flush what is pending.
    this.timer.unref();
  }
}
