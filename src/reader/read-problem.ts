/** Why the file cannot be shown right now. */
export type ReadProblem =
  | { kind: 'waiting'; message: string }
  | {
      kind: 'error';
      code: 'locked' | 'corrupt' | 'too-new' | 'too-large' | 'not-contract' | 'not-file' | 'io';
      message: string;
    };

/**
 * What the page and log should say about an exception met while opening or reading `path`.
 *
 * @example
 * readProblem('/var/lib/engine/engine.db', error); // { kind: 'error', code: 'locked', … }
 */
export function readProblem(path: string, error: unknown): ReadProblem {
  const code = String((error as { code?: unknown }).code ?? '');
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'TRADEWATCH_NO_TABLE') return { kind: 'waiting', message: `${path}: ${message}` };
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code.startsWith('SQLITE_BUSY_')) {
    return {
      kind: 'error',
      code: 'locked',
      message: `${path} is locked by another process; showing the last good state`,
    };
  }
  if (code === 'TRADEWATCH_TOO_NEW') return { kind: 'error', code: 'too-new', message };
  if (code === 'TRADEWATCH_TOO_LARGE') return { kind: 'error', code: 'too-large', message };
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return {
      kind: 'error',
      code: 'corrupt',
      message: `${path} is not a readable SQLite database (${message})`,
    };
  }
  if (code === 'SQLITE_ERROR' && /no such (table|column)/.test(message)) {
    return {
      kind: 'error',
      code: 'not-contract',
      message: `${path} does not follow the tradewatch schema: ${message}`,
    };
  }
  return { kind: 'error', code: 'io', message: `${path}: ${message}` };
}
