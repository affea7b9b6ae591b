import { realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Config } from '../config/load.js';

/** A path as the file system resolves it (symlinks followed) where it exists yet. */
function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/**
 * Engines whose database sits in the dashboard's data directory. The dashboard then keeps its
 * own files in the engine's directory (DESIGN invariant 8 says it should not): fine for a try on
 * one machine (the defaults put both in `data/`), not for a service, where the dashboard often
 * cannot write there and should not. The service logs a warning naming them.
 *
 * @example enginesInDataDir(loadConfig(['--db', 'data/engine.db'], {}).config) // → ['engine']
 */
export function enginesInDataDir(config: Config): string[] {
  const dataDir = canonical(config['data-dir']);
  return config.db.filter((db) => canonical(dirname(db.path)) === dataDir).map((db) => db.name);
}
