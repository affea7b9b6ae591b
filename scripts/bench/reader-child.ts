/**
 * A separate reader process for the writer benchmark: the dashboard's access pattern
 * (read-only, every row, every 100 ms) or, with `hold`, one read transaction held open.
 * Reports how many reads it made and how many failed.
 */
import Database from 'better-sqlite3';

const [path, mode = 'poll', intervalArg = '100'] = process.argv.slice(2);
if (!path) throw new Error('usage: bench-reader-child <db> [poll|hold] [interval-ms]');
const db = new Database(path, { readonly: true, fileMustExist: true });
let reads = 0;
let errors = 0;

if (mode === 'hold') {
  db.exec('BEGIN');
  db.prepare('SELECT count(*) FROM live_status').get();
  process.send?.({ holding: true });
} else {
  const selectAll = db.prepare('SELECT key, value, updated_at FROM live_status');
  setInterval(() => {
    try {
      for (const row of selectAll.iterate() as Iterable<{ value: string }>) JSON.parse(row.value);
      reads++;
    } catch {
      errors++;
    }
  }, Number(intervalArg));
  process.send?.({ ready: true });
}

process.on('message', (message) => {
  if (message === 'stop') {
    if (mode === 'hold') db.exec('COMMIT');
    process.send?.({ reads, errors }, () => process.exit(0));
  }
});
