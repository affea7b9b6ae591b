import { stat } from 'node:fs/promises';
import { LogTailError } from '../contract/log-tail-error.js';
import { openLog } from './log-open.js';
import { type LogLine, looksBinary, splitLines, tailFile, toLine } from './log-tail.js';

/** What a follower reports. */
export type FollowEvent =
  | { kind: 'lines'; lines: LogLine[] }
  /** The file was rotated or truncated: here is the new file's tail. */
  | { kind: 'reset'; lines: LogLine[]; reason: string }
  | { kind: 'problem'; message: string }
  /** Sent once to each new listener when following has started (new lines count from here). */
  | { kind: 'ready' };

/** At most this much new data is read per check; a faster writer gets a "skipped" marker. */
const MAX_READ = 1024 * 1024;
const RESET_TAIL_LINES = 200;

/**
 * Follows a growing log file by checking it every `intervalMs` (a stat, and a read of the new
 * bytes only). Rotation (a new inode) and truncation (a smaller size) restart from the new
 * file's tail; a partial last line waits for its newline, up to `maxLineBytes`: a writer that
 * never ends its line gets it cut with a marker, and the rest of that line is skipped (memory
 * stays bounded). Anything but a regular file is refused. Events go to every listener; the
 * file is not touched while nobody listens.
 */
export class LogFollower {
  private readonly listeners = new Set<(event: FollowEvent) => void>();
  private timer: NodeJS.Timeout | null = null;
  private offset = -1;
  private ino = -1;
  private partial = Buffer.alloc(0);
  /** Inside a line already cut: its bytes are dropped until its newline. */
  private skippingLine = false;
  private problem: string | null = null;
  private checking: Promise<void> | null = null;

  constructor(
    private readonly path: string,
    private readonly intervalMs = 500,
    private readonly maxLineBytes = 8192,
  ) {}

  /** Starts following for one listener; returns the function that stops it. */
  subscribe(listener: (event: FollowEvent) => void): () => void {
    this.listeners.add(listener);
    if (!this.timer) {
      this.timer = setInterval(() => void this.check(), this.intervalMs);
      this.timer.unref();
    }
    void this.check().then(() => {
      if (this.listeners.has(listener)) listener({ kind: 'ready' });
    });
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
        this.offset = -1; // the next subscriber starts from the end again
      }
    };
  }

  /** One check (the timer calls it); while one runs, callers share it. */
  check(): Promise<void> {
    this.checking ??= this.checkOnce()
      .catch((error: unknown) => this.report(`log file ${this.path}: ${(error as Error).message}`))
      .finally(() => {
        this.checking = null;
      });
    return this.checking;
  }

  private async checkOnce(): Promise<void> {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(this.path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      this.report(
        code === 'ENOENT'
          ? `log file ${this.path} does not exist (yet)`
          : `log file ${this.path} cannot be read: ${code}`,
      );
      this.offset = 0; // when it appears, everything in it is new
      this.ino = -1;
      return;
    }
    if (!info.isFile()) {
      this.report(`log file ${this.path} is not a regular file; refused`);
      return;
    }
    if (this.offset < 0) {
      // First check: start at the end; the page already shows the tail.
      this.offset = info.size;
      this.ino = info.ino;
      this.problem = null;
      return;
    }
    if (info.ino !== this.ino || info.size < this.offset) {
      const reason = info.ino !== this.ino ? 'the file was rotated' : 'the file was truncated';
      this.ino = info.ino;
      this.partial = Buffer.alloc(0);
      this.skippingLine = false;
      try {
        const tail = await tailFile(this.path, RESET_TAIL_LINES, this.maxLineBytes);
        this.offset = tail.size;
        this.problem = null;
        this.emit({ kind: 'reset', lines: tail.lines, reason });
      } catch (error) {
        this.offset = info.size;
        this.report(error instanceof LogTailError ? error.message : String(error));
      }
      return;
    }
    if (info.size === this.offset) return;
    await this.readNew(info.size);
  }

  private async readNew(size: number): Promise<void> {
    let start = this.offset;
    const skipped = Math.max(0, size - start - MAX_READ);
    start += skipped;
    const { handle } = await openLog(this.path);
    try {
      const buffer = Buffer.alloc(size - start);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
      this.offset = start + bytesRead;
      let data = Buffer.concat([
        skipped ? Buffer.alloc(0) : this.partial,
        buffer.subarray(0, bytesRead),
      ]);
      if (skipped) this.skippingLine = false;
      if (looksBinary(data)) {
        this.partial = Buffer.alloc(0);
        this.report(`log file ${this.path}: binary data was appended; not shown`);
        return;
      }
      if (this.skippingLine) {
        const newline = data.indexOf(0x0a);
        if (newline < 0) return; // still inside the line that was cut
        this.skippingLine = false;
        data = data.subarray(newline + 1);
      }
      const pieces = splitLines(data);
      const complete = data.length === 0 || data[data.length - 1] === 0x0a;
      this.partial = complete ? Buffer.alloc(0) : Buffer.from(pieces.pop() ?? Buffer.alloc(0));
      const lines = pieces.map((p) => toLine(p, this.maxLineBytes));
      if (this.partial.length > this.maxLineBytes) lines.push(this.cutPartial());
      if (skipped)
        lines.unshift({
          text: `… ${skipped} bytes skipped (written faster than followed)`,
          level: null,
          cut: true,
        });
      this.problem = null;
      if (lines.length) this.emit({ kind: 'lines', lines });
    } finally {
      await handle.close();
    }
  }

  /** A line that outgrew `maxLineBytes` before its newline: shown cut, the rest skipped. */
  private cutPartial(): LogLine {
    const line = toLine(this.partial.subarray(0, this.maxLineBytes), this.maxLineBytes);
    this.partial = Buffer.alloc(0);
    this.skippingLine = true;
    return {
      ...line,
      text: `${line.text} … [line cut: over ${this.maxLineBytes} bytes without a newline]`,
      cut: true,
    };
  }

  private report(message: string): void {
    if (this.problem === message) return;
    this.problem = message;
    this.emit({ kind: 'problem', message });
  }

  private emit(event: FollowEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
