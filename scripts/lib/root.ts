import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The project's root folder (the one holding package.json), found from a script's own folder:
 * the same answer whether the script runs as TypeScript from scripts/ or built from dist/scripts/.
 *
 * @example
 * const docs = join(projectRoot(import.meta.dirname), 'docs');
 */
export function projectRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}
