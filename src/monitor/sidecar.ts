import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
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
    // New files only (an existing one keeps its page size): replay stores records of a few KiB,
    // which at the default 4 KiB pages would waste close to half of each page.
    db.pragma('page_size = 16384');
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

/**
 * The sidecar file, watched while the dashboard runs. If it is deleted or replaced, the open
 * connection (which still holds the old file) writes everything to a new file at the same path
 * (`VACUUM INTO`), the stores move to it, and a warning says so: history, alerts and queued
 * notifications survive, and so does the next restart.
 */
export class SidecarFile {
  db: Database.Database;
  private inode: number;
  private readonly listeners: Array<(db: Database.Database) => void> = [];
  readonly path: string;

  constructor(
    private readonly dataDir: string,
    private readonly fileName: string,
    private readonly warn: (message: string) => void,
  ) {
    this.path = join(dataDir, fileName);
    this.db = openSidecar(dataDir, fileName, warn);
    this.inode = statSync(this.path).ino;
  }

  /** Called with the new connection after the file was recreated. */
  onReattach(listener: (db: Database.Database) => void): void {
    this.listeners.push(listener);
  }

  /** Checks that the file is still ours; recreates it if not. True when it did. */
  check(): boolean {
    let inode: number | null = null;
    try {
      inode = statSync(this.path).ino;
    } catch {
      // deleted
    }
    if (inode === this.inode) return false;
    const what = inode === null ? 'was deleted' : 'was replaced by another file';
    try {
      mkdirSync(this.dataDir, { recursive: true });
      if (inode !== null) renameSync(this.path, `${this.path}.replaced-${Date.now()}`);
      // The old -wal/-shm belong to the old file: a new file must not inherit them.
      for (const suffix of ['-wal', '-shm']) rmSync(this.path + suffix, { force: true });
      this.db.exec(`VACUUM INTO '${this.path.replace(/'/g, "''")}'`);
      const old = this.db;
      this.db = openSidecar(this.dataDir, this.fileName, this.warn);
      this.inode = statSync(this.path).ino;
      for (const listener of this.listeners) listener(this.db);
      old.close();
      this.warn(
        `sidecar database ${this.path} ${what} while running; recreated it with everything it held`,
      );
      return true;
    } catch (error) {
      this.warn(
        `sidecar database ${this.path} ${what} and cannot be recreated (${(error as Error).message}); history and alerts go on in the open file until a restart`,
      );
      this.inode = inode ?? -1;
      return false;
    }
  }

  close(): void {
    this.db.close();
  }
}
