import type { AlertChange, AlertManager } from '../alerts/manager.js';
import type { Alert } from '../alerts/types.js';
import { wants } from './channels.js';
import type { NotificationDispatcher } from './dispatcher.js';
import type { NotifyEvent } from './message.js';

/** How often firing alerts are checked for a repeat notification. */
const REPEAT_CHECK_MS = 30_000;

/**
 * Decides what is worth telling: a firing alert once, again every `repeatMs` while it fires
 * (unless acknowledged or muted by a stale engine), and its resolve — to the channels that were
 * told it fired. Pending and cancelled alerts are never sent.
 */
export class Notifier {
  private readonly timer: NodeJS.Timeout | null;

  constructor(
    private readonly manager: AlertManager,
    private readonly dispatcher: NotificationDispatcher,
    private readonly repeatMs: number,
  ) {
    manager.on('change', (change) => this.onChange(change));
    this.timer =
      repeatMs > 0 ? setInterval(() => this.repeat(), Math.min(REPEAT_CHECK_MS, repeatMs)) : null;
    this.timer?.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Sends repeats that are due (also called by the timer). */
  repeat(nowMs = Date.now()): void {
    for (const alert of this.manager.active()) {
      if (alert.state !== 'firing' || alert.ackedAtMs !== null || this.manager.isMuted(alert))
        continue;
      if (alert.notifiedAtMs !== null && nowMs - alert.notifiedAtMs >= this.repeatMs)
        this.send('repeat', alert, nowMs);
    }
  }

  private onChange({ alert, to }: AlertChange): void {
    const nowMs = Date.now();
    if (to === 'firing' && alert.ackedAtMs === null) this.send('firing', alert, nowMs);
    if (to === 'resolved' && alert.notifiedAtMs !== null) this.send('resolved', alert, nowMs);
  }

  private send(event: NotifyEvent, alert: Alert, nowMs: number): void {
    const queued = this.dispatcher.enqueue(
      { event, alert: { ...alert }, queuedAtMs: nowMs },
      (channel) => wants(channel, alert.level),
    );
    if (queued > 0 && event !== 'resolved') this.manager.markNotified(alert, nowMs);
  }
}
