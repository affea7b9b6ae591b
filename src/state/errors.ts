/** Why a write was rejected, repaired or failed. */
export type StateWriterErrorCode =
  /** The key is empty, longer than 256 characters, not a string, or has control characters. */
  | 'invalid-key'
  /** The value is not a JSON object (null, an array, a number, a string...). */
  | 'not-object'
  /** The value cannot be JSON-serialised (circular, BigInt) or held a function that was dropped. */
  | 'not-serialisable'
  /** The value held NaN or ±Infinity; those fields were written as null. */
  | 'non-finite'
  /** The serialised value is over `maxValueBytes`. */
  | 'too-large'
  /** The value nests objects and arrays deeper than 64 levels (the contract's `MAX_JSON_DEPTH`). */
  | 'too-deep'
  /** An event or trade is missing a required field, or has an unknown level. */
  | 'invalid-event'
  /** `updateMany` was given something that is not pairs or an object of key → value. */
  | 'invalid-entries'
  /** SQLite refused the write (disk full, locked beyond the busy timeout, I/O error...), or the input broke the writer in a way no other code names. */
  | 'write-failed'
  /** The writer was used after `close()`. */
  | 'closed'
  /** The database has a newer `user_version` than this library understands. */
  | 'schema-too-new'
  /** The database has a `live_status` table whose columns differ from the contract. */
  | 'schema-incompatible';

/** The error given to `onError` (or thrown in strict mode and by `StateWriter.open`). */
export class StateWriterError extends Error {
  override readonly name = 'StateWriterError';
  constructor(
    readonly code: StateWriterErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Where a reported error happened. */
export interface ErrorContext {
  /** The `live_status` key concerned, when there is one. */
  key?: string;
  /** The writer method that met the error. */
  op: 'update' | 'remove' | 'flush' | 'event' | 'trade';
}

export type ErrorReporter = (error: StateWriterError, context: ErrorContext) => void;

/**
 * The default reporter: one line on stderr per error code at most every 10 s, with a count of
 * the ones held back, so a bug in an engine's loop cannot flood its terminal or logs.
 */
export function createRateLimitedStderrReporter(
  intervalMs = 10_000,
  write: (line: string) => void = (line) => process.stderr.write(line),
): ErrorReporter {
  const lastPrinted = new Map<string, { at: number; suppressed: number }>();
  return (error, context) => {
    const now = Date.now();
    const entry = lastPrinted.get(error.code);
    if (entry && now - entry.at < intervalMs) {
      entry.suppressed++;
      return;
    }
    const held = entry?.suppressed ? ` (${entry.suppressed} similar held back)` : '';
    const where =
      context.key === undefined ? context.op : `${context.op} ${JSON.stringify(context.key)}`;
    write(`tradewatch/state: ${where}: ${error.code}: ${error.message}${held}\n`);
    lastPrinted.set(error.code, { at: now, suppressed: 0 });
  };
}

/**
 * The writer's one rule for problems: strict mode throws; otherwise the reporter hears of it,
 * and even a reporter that throws cannot break the engine's loop.
 */
export function reportOrThrow(
  strict: boolean,
  report: ErrorReporter,
  error: StateWriterError,
  context: ErrorContext,
): void {
  if (strict) throw error;
  try {
    report(error, context);
  } catch {
    // Swallowed on purpose: see above.
  }
}

/**
 * The promise "never throws into the engine's loop" kept for anything not foreseen: an
 * exception in `run` becomes a reported `write-failed` and the `failed` value. Strict throws.
 */
export function guarded<T>(
  strict: boolean,
  report: ErrorReporter,
  context: ErrorContext,
  failed: T,
  run: () => T,
): T {
  try {
    return run();
  } catch (error) {
    if (strict) throw error;
    const message = `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
    reportOrThrow(
      false,
      report,
      new StateWriterError('write-failed', message, { cause: error }),
      context,
    );
    return failed;
  }
}
