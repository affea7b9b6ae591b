import { type DestinationStream, type Logger, pino } from 'pino';

const LABELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
/** Fields every record has; the terminal line leaves them out. */
const ROUTINE = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'service', 'err']);

/**
 * One pino JSON record as a short line for people: `09:30:15.123 INFO  msg key=value`, with an
 * error's stack below. Only for a terminal: pipes, files and journald get the JSON itself.
 *
 * @example
 * terminalLine('{"level":30,"time":0,"msg":"dashboard started","url":"http://127.0.0.1:5003"}');
 * // → '00:00:00.000 INFO  dashboard started url=http://127.0.0.1:5003\n' (in UTC)
 */
export function terminalLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json);
  } catch {
    return json;
  }
  const time = new Date(Number(record.time)).toTimeString().slice(0, 8);
  const ms = String(Number(record.time) % 1000).padStart(3, '0');
  const label = (LABELS[Number(record.level)] ?? String(record.level)).padEnd(5);
  const fields = Object.entries(record)
    .filter(([key]) => !ROUTINE.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const err = record.err as { stack?: string } | undefined;
  const stack = err?.stack ? `\n  ${err.stack.replaceAll('\n', '\n  ')}` : '';
  return `${[`${time}.${ms}`, label, String(record.msg ?? ''), ...fields].join(' ')}${stack}\n`;
}

/**
 * The dashboard's logger: one format on stdout, pino's JSON lines — readable lines only when
 * stdout is a terminal (no pretty-printing dependency for that: `terminalLine` is enough).
 */
export function createLogger(level: string, out: NodeJS.WriteStream = process.stdout): Logger {
  const options = { base: { service: 'tradewatch' }, level };
  if (!out.isTTY) return pino(options);
  const terminal: DestinationStream = { write: (line: string) => out.write(terminalLine(line)) };
  return pino(options, terminal);
}
