/**
 * Flushes every open write-behind writer when the process exits normally, with one `exit`
 * listener for all of them (better-sqlite3 is synchronous, so an `exit` handler can still write).
 */
const openWriters = new Set<{ flush(): boolean }>();

function flushAll(): void {
  for (const writer of openWriters) writer.flush();
}

export function flushOnExit(writer: { flush(): boolean }): void {
  if (openWriters.size === 0) process.on('exit', flushAll);
  openWriters.add(writer);
}

export function forgetOnExit(writer: { flush(): boolean }): void {
  openWriters.delete(writer);
  if (openWriters.size === 0) process.off('exit', flushAll);
}
