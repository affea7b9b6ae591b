/**
 * Builds the lean writer package in dist/state-package/ from src/state + src/contract only:
 * an ESM build, a CommonJS build (so `require()` works on every Node 20, not only 20.19+), their
 * type declarations, and the package's README, LICENSE and docs/api.md. `npm run build` runs it
 * (the main package's `tradewatch/state` uses the CommonJS build for `require`);
 * `npm run pack:state` packs the result.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from '../src/service/package-info.js';

const ROOT = packageRoot();
const OUT = join(ROOT, 'dist/state-package');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

const main = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

function compile(...extra: string[]): void {
  execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.state.json'), ...extra], {
    stdio: 'inherit',
  });
}

rmSync(OUT, { recursive: true, force: true });
compile('--outDir', join(OUT, 'esm'));
compile('--outDir', join(OUT, 'cjs'), '--module', 'commonjs', '--moduleResolution', 'node10');
// The package is ESM; this folder's .js (and .d.ts) files are CommonJS.
writeFileSync(join(OUT, 'cjs/package.json'), '{ "type": "commonjs" }\n');

const entry = (dir: string) => ({
  types: `./${dir}/state/index.d.ts`,
  default: `./${dir}/state/index.js`,
});
const pkg = {
  name: 'tradewatch-state',
  version: main.version,
  description:
    "tradewatch's state writer: publish a trading engine's live state into SQLite for the tradewatch dashboard.",
  type: 'module',
  license: main.license,
  repository: main.repository,
  keywords: ['tradewatch', 'trading', 'sqlite', 'monitoring', 'state'],
  engines: main.engines,
  exports: {
    '.': { import: entry('esm'), require: entry('cjs') },
    './package.json': './package.json',
  },
  main: './cjs/state/index.js',
  types: './cjs/state/index.d.ts',
  files: ['esm', 'cjs', 'docs/api.md'],
  dependencies: { 'better-sqlite3': main.dependencies['better-sqlite3'] },
};
writeFileSync(join(OUT, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
mkdirSync(join(OUT, 'docs'));
copyFileSync(join(ROOT, 'docs/api.md'), join(OUT, 'docs/api.md'));
copyFileSync(join(ROOT, 'LICENSE'), join(OUT, 'LICENSE'));
copyFileSync(join(ROOT, 'scripts/state-package/README.md'), join(OUT, 'README.md'));
