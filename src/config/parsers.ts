import { parseDuration } from '../contract/duration.js';

/** Value parsers shared by the option tables: each throws an Error saying what is expected. */

export interface NamedPath {
  name: string;
  path: string;
}

const NAME_PATTERN = /^[A-Za-z0-9_.-]{1,40}$/;

export function integerIn(min: number, max: number) {
  return (text: string): number => {
    const value = Number(text);
    if (!/^\s*-?\d+\s*$/.test(text) || value < min || value > max) {
      throw new Error(`expected a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
    }
    return value;
  };
}

export function durationIn(minMs: number, maxMs: number, defaultUnit: 'ms' | 's') {
  return (text: string): number => {
    const ms = parseDuration(text, defaultUnit);
    if (ms === null || ms < minMs || ms > maxMs) {
      throw new Error(
        `expected a duration from ${describeMs(minMs)} to ${describeMs(maxMs)} (a number of ${defaultUnit === 'ms' ? 'milliseconds' : 'seconds'}, or like 30s, 5m, 24h), got ${JSON.stringify(text)}`,
      );
    }
    return ms;
  };
}

export function describeMs(ms: number): string {
  if (ms === 0) return '0';
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** `name=path`, or a bare path named after its file (`data/engine.db` → `engine`). */
export function parseNamedPath(text: string): NamedPath {
  const eq = text.indexOf('=');
  const [name, path] = eq > 0 ? [text.slice(0, eq), text.slice(eq + 1)] : [baseName(text), text];
  if (!path) throw new Error(`expected PATH or NAME=PATH, got ${JSON.stringify(text)}`);
  if (!NAME_PATTERN.test(name)) {
    throw new Error(`name ${JSON.stringify(name)} must be 1-40 letters, digits, '.', '_' or '-'`);
  }
  return { name, path };
}

function baseName(path: string): string {
  const file = path.split(/[\\/]/).pop() ?? path;
  return file.replace(/\.(db|sqlite3?|log)$/i, '') || file;
}

/** An absolute URL with one of the given schemes. */
export function urlWith(...schemes: string[]) {
  return (text: string): string => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new Error(`expected a URL like ${schemes[0]}://host/path, got ${JSON.stringify(text)}`);
    }
    if (!schemes.includes(url.protocol.slice(0, -1)))
      throw new Error(`expected a ${schemes.join(' or ')} URL, got ${url.protocol.slice(0, -1)}:`);
    return text;
  };
}

/** A mail address: something@domain, no spaces or angle brackets. */
export function parseEmail(text: string): string {
  if (!/^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/.test(text.trim()))
    throw new Error(`expected a mail address like ops@example.com, got ${JSON.stringify(text)}`);
  return text.trim();
}

/** `<bot-token>:<chat-id>`; the token itself contains a colon (`123456:ABC-def`). */
export function parseTelegram(text: string): { token: string; chatId: string } {
  const match = /^(\d+:[A-Za-z0-9_-]{20,}):(-?\d+|@[A-Za-z0-9_]{4,})$/.exec(text.trim());
  if (!match)
    throw new Error(
      'expected BOT_TOKEN:CHAT_ID, like 123456:AAE...xyz:-1001234567 (the token from @BotFather, then the numeric chat id or @channel)',
    );
  return { token: match[1] ?? '', chatId: match[2] ?? '' };
}
