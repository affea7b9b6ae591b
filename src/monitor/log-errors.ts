import { tailFile } from './log-tail.js';

/** Lines looked at per file: the badge counts recent errors, not a file's whole history. */
export const ERROR_WINDOW_LINES = 1000;
const REFRESH_MS = 5000;

/**
 * The number of ERROR and CRITICAL lines among the last 1,000 lines of each log, for the
 * badge on every page. `count()` answers at once from the last reading and starts a new one
 * in the background when that is older than 5 s, so rendering a page never waits on files.
 */
export class LogErrorCounter {
  private value = 0;
  private readAtMs = 0;
  private reading: Promise<void> | null = null;

  constructor(private readonly paths: () => readonly string[]) {}

  count(): number {
    if (!this.reading && Date.now() - this.readAtMs >= REFRESH_MS) void this.refresh();
    return this.value;
  }

  /** Re-reads every log now. A missing or unreadable file counts 0 (the log page says why). */
  refresh(): Promise<void> {
    this.reading ??= (async () => {
      let total = 0;
      for (const path of this.paths()) {
        try {
          const tail = await tailFile(path, ERROR_WINDOW_LINES);
          total += tail.lines.filter((l) => l.level === 'ERROR' || l.level === 'CRITICAL').length;
        } catch {
          // counted as 0
        }
      }
      this.value = total;
      this.readAtMs = Date.now();
      this.reading = null;
    })();
    return this.reading;
  }
}
