import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  lstatSync,
  openSync,
  readFileSync,
  readSync,
  type Stats,
  statSync,
  unlinkSync,
} from 'node:fs';
import Database from 'better-sqlite3';

/** What is at the database path, found by `stat` alone: nothing here ever opens a FIFO or device. */
export type FileCheck =
  | { kind: 'missing' }
  | { kind: 'not-file'; what: string }
  /** `id` (dev:ino) names the file; `stamp` changes whenever its bytes or its WAL's presence do. */
  | { kind: 'file'; id: string; stamp: string };

/** Stats the database path (and whether its `-wal` exists). Never opens anything. */
export function checkFile(path: string): FileCheck {
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch {
    return { kind: 'missing' };
  }
  // Opening a FIFO blocks the whole process until a writer appears; a directory or device is
  // no database either. Refuse before SQLite (or anything) opens it.
  if (!stat.isFile()) return { kind: 'not-file', what: describeNonFile(stat) };
  const wal = engineFilesPresent(path) ? 1 : 0;
  return {
    kind: 'file',
    id: `${stat.dev}:${stat.ino}`,
    stamp: `${stat.size}:${stat.mtimeMs}:${wal}`,
  };
}

function describeNonFile(stat: Stats): string {
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isDirectory()) return 'a directory';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * Whether the engine's `-wal` and `-shm` both exist. An engine that is starting creates them one
 * after the other; a read-only connection opened between the two would create the missing `-shm`
 * as the dashboard's user, and the engine could then not write it.
 */
function engineFilesPresent(path: string): boolean {
  return existsSync(`${path}-wal`) && existsSync(`${path}-shm`);
}

/**
 * Opens an engine database read-only without ever creating, keeping or owning a file beside it
 * (DESIGN.md invariant 8).
 *
 * A read-only SQLite connection to a WAL-mode database creates `-wal` and `-shm` when they are
 * missing and the directory is writable (as the dashboard's user: the engine, another user, then
 * fails with "attempt to write a readonly database"), and cannot open at all when the directory
 * is not writable (systemd `ReadOnlyPaths`). They are missing exactly when the engine stopped
 * cleanly: its last connection checkpointed everything into the main file. Then the main file is
 * the whole state, and it is read into memory and opened from there (SQLite's `immutable=1` URI
 * would do the same without the copy, but better-sqlite3 is built without URI filenames). The
 * copy says "rollback journal" in its header, since an in-memory database cannot be in WAL mode.
 * While the engine runs, its `-wal`/`-shm` exist (its own files) and a plain read-only connection
 * reads them — only once both exist, so a starting engine's half-made pair is never completed by
 * the dashboard (one tick reads the main file instead, the next the WAL); a rollback-journal database never needs extra files to be read.
 *
 * A stopped engine's file over `maxCopyBytes` is not copied (two copies in memory, a read that
 * blocks the event loop; 2 GiB and more cannot be read at all): an error with code
 * `TRADEWATCH_TOO_LARGE` says so instead.
 *
 * @example
 * const { db, copy } = openEngineFile('/var/lib/engine/engine.db', 100);
 */
export function openEngineFile(
  path: string,
  busyTimeoutMs: number,
  maxCopyBytes = DEFAULT_MAX_COPY_BYTES,
): { db: Database.Database; copy: boolean } {
  for (let attempt = 0; ; attempt++) {
    const before = sidecarIds(path);
    if (!before.every(Boolean)) {
      const bytes = readStoppedWalFile(path, maxCopyBytes);
      // Checked again after the copy: an engine that started meanwhile has its files now.
      if (bytes && !engineFilesPresent(path)) {
        bytes[18] = 1; // file format write version: legacy (rollback journal)
        bytes[19] = 1; // file format read version
        return { db: new Database(bytes, { readonly: true }), copy: true };
      }
    }
    const db = new Database(path, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
    // The first read opens -wal/-shm; an engine that stopped cleanly since the check above has
    // unlinked them, and this read made them again. Those are removed and the copy path taken.
    try {
      db.pragma('user_version');
    } catch (error) {
      db.close();
      throw error;
    }
    const ours = sidecarsMadeHere(path, before);
    if (ours.length === 0) return { db, copy: false };
    db.close();
    for (const file of ours) unlinkSync(file);
    if (attempt > 0)
      throw new Error(`${path}: the engine started and stopped while opening; retrying`);
  }
}

/** dev:ino of `-wal` and `-shm`, null for one that is missing. */
function sidecarIds(path: string): Array<string | null> {
  return ['-wal', '-shm'].map((suffix) => {
    try {
      const stat = lstatSync(path + suffix);
      return `${stat.dev}:${stat.ino}`;
    } catch {
      return null;
    }
  });
}

/**
 * The `-wal`/`-shm` this process made: new since `before` (another file than the one seen
 * then), owned by this process's user while the database is not. The engine's own files, and
 * any file that was already there, are never counted (unlinking a running engine's WAL would
 * lose its commits). A dashboard running as the engine's user cannot tell, and needs not: the
 * engine can write such files (SQLite running as root gives them the database's owner).
 */
export function sidecarsMadeHere(path: string, before: ReadonlyArray<string | null>): string[] {
  const euid = process.geteuid?.();
  if (euid === undefined || statSync(path).uid === euid) return [];
  const now = sidecarIds(path);
  return ['-wal', '-shm']
    .filter((_, i) => now[i] !== null && now[i] !== before[i])
    .map((suffix) => path + suffix)
    .filter((file) => lstatSync(file).uid === euid);
}

const HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** The largest stopped engine's file copied into memory: 256 MiB. */
export const DEFAULT_MAX_COPY_BYTES = 256 * 1024 * 1024;

/**
 * The file's bytes when its header says WAL mode (bytes 18 and 19 are 2), else null. Opened
 * non-blocking and checked again, in case a FIFO took the file's place since it was stat'ed.
 */
function readStoppedWalFile(path: string, maxCopyBytes: number): Buffer | null {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return null;
    const header = Buffer.alloc(20);
    if (readSync(fd, header, 0, 20, 0) < 20) return null;
    if (!header.subarray(0, 16).equals(HEADER) || header[18] !== 2) return null;
    if (stat.size > maxCopyBytes) {
      throw Object.assign(
        new Error(
          `stopped engine too large to read without its WAL: ${path} is ${stat.size} bytes, over the ${maxCopyBytes}-byte limit for an in-memory copy; it is shown again once the engine runs`,
        ),
        { code: 'TRADEWATCH_TOO_LARGE' },
      );
    }
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}
