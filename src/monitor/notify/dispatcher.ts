import { EventEmitter } from 'node:events';
import type { Channel } from './channels.js';
import type { Notification } from './message.js';
import type { OutboxMessage, OutboxStore } from './outbox.js';

export interface DispatcherOptions {
  timeoutMs: number;
  /** Attempts before a message is given up (failed). */
  maxAttempts?: number;
  /** First retry delay; doubles per attempt up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export interface Delivery {
  message: OutboxMessage;
  channel: Channel | null;
  outcome: 'sent' | 'retry' | 'failed';
  error: string | null;
}

/**
 * Sends the outbox. Queuing is a row insert; sending is asynchronous, so polling never waits
 * on a slow receiver. Each channel sends one message at a time, oldest first (a firing is never
 * overtaken by its resolve). Failures back off exponentially, honour 429 Retry-After, and give
 * up after `maxAttempts` (or at once when the receiver says the request itself is wrong).
 * `delivery` events report every attempt.
 */
export class NotificationDispatcher extends EventEmitter<{ delivery: [Delivery] }> {
  private readonly channels: Map<string, Channel>;
  private readonly busy = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  /** A wake already scheduled for this turn of the event loop (a burst of enqueues wakes once). */
  private wakeSoon: NodeJS.Immediate | null = null;
  private started = false;
  private stopped = false;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(
    private readonly outbox: OutboxStore,
    channels: readonly Channel[],
    private readonly options: DispatcherOptions,
  ) {
    super();
    this.channels = new Map(channels.map((c) => [c.id, c]));
    this.maxAttempts = options.maxAttempts ?? 8;
    this.baseDelayMs = options.baseDelayMs ?? 5000;
    this.maxDelayMs = options.maxDelayMs ?? 10 * 60_000;
  }

  get channelList(): Channel[] {
    return [...this.channels.values()];
  }

  /** Starts sending; messages left for channels that are no longer configured are failed. */
  start(nowMs = Date.now()): void {
    this.started = true;
    for (const channel of this.outbox.pendingChannels()) {
      if (this.channels.has(channel)) continue;
      for (const message of this.outbox.pendingFor(channel)) {
        const error = 'channel is no longer configured';
        this.outbox.markFailed(message.id, nowMs, error, false);
        this.emit('delivery', { message, channel: null, outcome: 'failed', error });
      }
    }
    this.wake();
  }

  /** Queues a notification for every channel that wants its level (sent once started). Returns how many. */
  enqueue(notification: Notification, wants: (channel: Channel) => boolean): number {
    let queued = 0;
    for (const channel of this.channels.values()) {
      if (!wants(channel)) continue;
      this.outbox.add(channel.id, notification, notification.queuedAtMs);
      queued++;
    }
    if (queued > 0 && this.started && !this.stopped)
      this.wakeSoon ??= setImmediate(() => {
        this.wakeSoon = null;
        this.wake();
      });
    return queued;
  }

  /** Stops sending; waits for attempts already under way (each is bounded by the timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.wakeSoon) clearImmediate(this.wakeSoon);
    await Promise.allSettled([...this.inFlight]);
  }

  /**
   * Starts the oldest due message of every idle channel, and sleeps until the next one is due.
   * Costs two indexed one-row queries per channel, whatever the outbox holds.
   */
  private wake(): void {
    if (!this.started || this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const nowMs = Date.now();
    let soonest = Number.POSITIVE_INFINITY;
    for (const channel of this.channels.values()) {
      if (this.busy.has(channel.id)) continue;
      const message = this.outbox.nextDue(channel.id, nowMs);
      if (message) {
        this.busy.add(channel.id);
        const attempt = this.attempt(message).finally(() => {
          this.busy.delete(channel.id);
          this.inFlight.delete(attempt);
          this.wake();
        });
        this.inFlight.add(attempt);
        continue;
      }
      soonest = Math.min(soonest, this.outbox.nextAt(channel.id) ?? Number.POSITIVE_INFINITY);
    }
    if (!Number.isFinite(soonest)) return;
    const wait = Math.max(0, soonest - Date.now());
    this.timer = setTimeout(() => this.wake(), Math.min(wait, this.maxDelayMs) + 5);
    this.timer.unref();
  }

  private async attempt(message: OutboxMessage): Promise<void> {
    const channel = this.channels.get(message.channel) ?? null;
    if (!channel) return;
    const result = await channel.send(message.notification, this.options.timeoutMs);
    const nowMs = Date.now();
    if (this.stopped && !result.ok) return; // shutting down: leave it pending for next start
    if (result.ok) {
      this.outbox.markSent(message.id, nowMs);
      this.emit('delivery', { message, channel, outcome: 'sent', error: null });
      return;
    }
    const attempts = message.attempts + 1;
    if (!result.retry || attempts >= this.maxAttempts) {
      const error = result.retry
        ? `${result.error} (gave up after ${attempts} attempts)`
        : result.error;
      this.outbox.markFailed(message.id, nowMs, error, true);
      this.emit('delivery', { message, channel, outcome: 'failed', error });
      return;
    }
    const backoff = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempts - 1));
    this.outbox.markRetry(
      message.id,
      nowMs + Math.max(backoff, result.retryAfterMs ?? 0),
      result.error,
    );
    this.emit('delivery', { message, channel, outcome: 'retry', error: result.error });
  }
}
