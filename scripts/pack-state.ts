/**
 * `npm run pack:state`: packs the lean writer package (built by `npm run build` into
 * dist/state-package/) into dist/tradewatch-state-<version>.tgz and prints the tarball's path.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../src/service/package-info.js';

const ROOT = packageRoot();
const out = execFileSync(
  'npm',
  ['pack', '--json', '--pack-destination', join(ROOT, 'dist'), join(ROOT, 'dist/state-package')],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
);
const [packed] = JSON.parse(out) as Array<{ filename: string; size: number; unpackedSize: number }>;
if (!packed) throw new Error('npm pack reported no tarball');
console.log(join(ROOT, 'dist', packed.filename));
