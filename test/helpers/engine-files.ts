import Database from 'better-sqlite3';

/** Writes a database exactly as the original Python StateManager would (naive times, NaN tokens). */
export function writePythonDesignDb(
  path: string,
  rows: Record<string, string>,
  updatedAt = '2025-08-01T09:30:15.123456',
): void {
  const db = new Database(path);
  db.exec(
    'CREATE TABLE IF NOT EXISTS live_status (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL)',
  );
  const upsert = db.prepare(
    'INSERT OR REPLACE INTO live_status (key, value, updated_at) VALUES (?, ?, ?)',
  );
  for (const [key, value] of Object.entries(rows)) upsert.run(key, value, updatedAt);
  db.close();
}

/** Python's `datetime.now().isoformat()` for an instant, as naive local time in `timeZone`. */
export function naiveLocalIso(ms: number, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(ms)
      .map((p) => [p.type, p.value]),
  );
  const micros = String((ms % 1000) * 1000).padStart(6, '0');
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}.${micros}`;
}
