import type { FileHandle } from 'node:fs/promises';
import { LogTailError } from '../contract/log-tail-error.js';
import { openLog } from './log-open.js';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';

export interface LogLine {
  text: string;
  level: LogLevel | null;
  /** The line was longer than the limit and was cut. */
  cut: boolean;
}

export interface Tail {
  lines: LogLine[];
  /** File size in bytes. */
  size: number;
  /** Every line in the file, counted only for files up to 8 MiB (it costs a full read). */
  totalLines: number | null;
}

const CHUNK = 64 * 1024;
/** Invalid sequences become U+FFFD (the default `fatal: false`). */
const UTF8 = new TextDecoder('utf-8');
const COUNT_ALL_UP_TO = 8 * 1024 * 1024;
/**
 * Most bytes one tail reads, whatever `count` asks: 5,000 lines of a file without newlines
 * would otherwise be 5,000 × 8 KiB = 40 MiB per request (30 at once reached 1.38 GB).
 */
export const MAX_TAIL_BYTES = 2 * 1024 * 1024;

/**
 * The last `count` lines of a file, read backwards from its end in 64 KiB chunks: the cost
 * depends on the lines asked for, not on the file's size, and never exceeds MAX_TAIL_BYTES.
 * Invalid UTF-8 becomes U+FFFD; lines over `maxLineBytes` are cut with a marker; a file that
 * looks binary, is not a regular file or links outside its directory is refused (openLog).
 */
export async function tailFile(path: string, count: number, maxLineBytes = 8192): Promise<Tail> {
  const { handle, size } = await openLog(path);
  try {
    const parts: Buffer[] = [];
    let position = size;
    let newlines = 0;
    // Stop once count + 1 line breaks are in hand (the extra one bounds the oldest line), or
    // after reading what count lines of maximal length could take (at most MAX_TAIL_BYTES).
    const budget = Math.min((count + 1) * (maxLineBytes + 1) + CHUNK, MAX_TAIL_BYTES);
    while (position > 0 && newlines <= count && size - position < budget) {
      const length = Math.min(CHUNK, position);
      position -= length;
      const buffer = Buffer.allocUnsafe(length); // fully overwritten by the read
      await handle.read(buffer, 0, length, position);
      parts.unshift(buffer);
      for (let i = 0; i < length; i++) if (buffer[i] === 0x0a) newlines++;
    }
    const data = Buffer.concat(parts);
    if (looksBinary(data))
      throw new LogTailError('binary', `log file ${path} looks binary; not shown`);
    let raw = splitLines(data);
    if (position > 0) raw = raw.slice(1); // the first piece is the tail of a longer line
    const lines = raw.slice(-count).map((bytes) => toLine(bytes, maxLineBytes));
    const totalLines = size <= COUNT_ALL_UP_TO ? await countLines(handle, size) : null;
    return { lines, size, totalLines };
  } finally {
    await handle.close();
  }
}

export function splitLines(data: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] === 0x0a) {
      lines.push(data.subarray(start, i > start && data[i - 1] === 0x0d ? i - 1 : i));
      start = i + 1;
    }
  }
  if (start < data.length) lines.push(data.subarray(start));
  return lines;
}

export function toLine(bytes: Buffer, maxLineBytes: number): LogLine {
  const cut = bytes.length > maxLineBytes;
  const text = UTF8.decode(cut ? bytes.subarray(0, maxLineBytes) : bytes);
  const shown = cut ? `${text} … [line cut: ${bytes.length} bytes]` : text;
  return { text: shown, level: levelOf(text), cut };
}

/** More than 1 % NUL or other control bytes (not tab, CR, LF, ESC) in what was read. */
export function looksBinary(data: Buffer): boolean {
  let control = 0;
  for (const byte of data)
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x1b) control++;
  return data.length > 0 && control / data.length > 0.01;
}

/** Counts lines in one 64 KiB buffer at a time (not one buffer the size of the file per request). */
async function countLines(handle: FileHandle, size: number): Promise<number> {
  const buffer = Buffer.allocUnsafe(Math.min(size, CHUNK));
  const end = Math.min(size, COUNT_ALL_UP_TO);
  let lines = 0;
  let last = 0x0a;
  for (let position = 0; position < end; ) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK, end - position), position);
    if (bytesRead === 0) break;
    for (let i = 0; i < bytesRead; i++) if (buffer[i] === 0x0a) lines++;
    last = buffer[bytesRead - 1] ?? 0x0a;
    position += bytesRead;
  }
  return last !== 0x0a ? lines + 1 : lines;
}

const PINO_LEVELS: Record<number, LogLevel> = {
  10: 'DEBUG',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARNING',
  50: 'ERROR',
  60: 'CRITICAL',
};
const WORDS: Record<string, LogLevel> = {
  DEBUG: 'DEBUG',
  TRACE: 'DEBUG',
  INFO: 'INFO',
  WARN: 'WARNING',
  WARNING: 'WARNING',
  ERROR: 'ERROR',
  ERR: 'ERROR',
  CRITICAL: 'CRITICAL',
  FATAL: 'CRITICAL',
};

/** The level of a JSON line (`"level": 30` or `"level": "error"`), a Python logging line, or a plain `LEVEL` token. */
export function levelOf(text: string): LogLevel | null {
  if (text.startsWith('{')) {
    const match = /"(?:level|severity|levelname)"\s*:\s*(?:(\d+)|"([A-Za-z]+)")/.exec(text);
    if (match?.[1]) return PINO_LEVELS[Number(match[1])] ?? null;
    if (match?.[2]) return WORDS[match[2].toUpperCase()] ?? null;
  }
  const token = /\b(DEBUG|TRACE|INFO|WARN|WARNING|ERROR|ERR|CRITICAL|FATAL)\b/.exec(text);
  return token?.[1] ? (WORDS[token[1]] ?? null) : null;
}
