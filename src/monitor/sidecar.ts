import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/**
 * Opens the dashboard's own database under `--data-dir` (never an engine's file). A file that
 * SQLite cannot read is moved aside as `<name>.corrupt-<time>` and a new one is created: the
 * dashboard loses history, never its ability to serve. `warn` says what happened.
 */
export function openSidecar(
  dataDir: string,
  fileName: string,
  warn: (message: string) => void,
): Database.Database {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, fileName);
  try {
    return configure(new Database(path));
  } catch (error) {
    const aside = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    warn(
      `sidecar database ${path} is unreadable (${(error as Error).message}); moved to ${aside} and starting a new one`,
    );
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix);
    }
    return configure(new Database(path));
  }
}

function configure(db: Database.Database): Database.Database {
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('journal_size_limit = 4194304');
    // Reading the schema proves the file is a database, before anything relies on it.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
