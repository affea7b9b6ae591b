import { type FSWatcher, statSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';

/** Changes closer together than this cause one wake-up: a burst of commits costs one read each this long. */
export const WATCH_COALESCE_MS = 10;

export interface FileWatch {
  /** Whether change notifications are armed now (false: the timed poll alone notices changes). */
  readonly armed: boolean;
  /** Arms the watch again if it is not (the directory was missing or went away). Cheap when armed. */
  rearm(): void;
  close(): void;
}

/**
 * Calls `onChange` soon after an SQLite database or its `-wal` / `-journal` changes, at most
 * once per `coalesceMs`. It watches the directory and filters by name, so a file that is
 * deleted, replaced by a rename or created later is still followed. Where watching fails (no
 * directory yet, no inotify, a network file system that never reports) nothing is armed and the
 * caller's timed poll is the only mechanism; `rearm()` (one stat) tries again.
 *
 * @example
 * const w = watchDatabaseFile('/srv/engine.db', () => poller.tick());
 * setInterval(() => { w.rearm(); poller.tick(); }, 1000); // the safety net
 */
export function watchDatabaseFile(
  path: string,
  onChange: () => void,
  coalesceMs = WATCH_COALESCE_MS,
): FileWatch {
  const base = basename(path);
  const names = new Set([base, `${base}-wal`, `${base}-journal`]);
  const dir = dirname(path);
  let watcher: FSWatcher | null = null;
  /** The watched directory's inode: a directory removed and made again needs a new watch. */
  let watchedIno = -1;
  let timer: NodeJS.Timeout | null = null;
  let lastFireMs = Number.NEGATIVE_INFINITY;
  let closed = false;

  const fire = () => {
    timer = null;
    lastFireMs = performance.now();
    onChange();
  };
  const notified = (name: string | Buffer | null) => {
    // The watched directory itself was removed or renamed: the watch is dead; rearm() finds
    // the directory again. Some platforms report no name: treat that as possibly ours.
    if (name !== null && String(name) === basename(dir) && !names.has(String(name))) disarm();
    else if (name !== null && !names.has(String(name))) return;
    if (timer) return;
    const wait = lastFireMs + coalesceMs - performance.now();
    // Even at 0 the timer lets the rest of the same commit's notifications arrive first.
    timer = setTimeout(fire, Math.max(0, wait));
  };
  const disarm = () => {
    watcher?.close();
    watcher = null;
  };
  const inode = () => {
    try {
      return statSync(dir).ino;
    } catch {
      return -1;
    }
  };
  const rearm = () => {
    if (closed) return;
    if (watcher && inode() === watchedIno) return;
    disarm();
    try {
      watchedIno = inode();
      watcher = watch(dir, { persistent: false }, (_event, name) => notified(name));
      // The directory was removed or renamed: stop, and let the next rearm() find it again.
      watcher.on('error', disarm);
    } catch {
      watcher = null;
    }
  };
  rearm();
  return {
    get armed() {
      return watcher !== null;
    },
    rearm,
    close() {
      closed = true;
      disarm();
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
