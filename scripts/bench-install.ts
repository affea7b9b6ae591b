/**
 * `npm run bench:install`: what an engine pays to install and load the writer, in one run.
 *
 * Packs both packages (`tradewatch-state` and the full `tradewatch`), installs each into an
 * empty project — and better-sqlite3 alone, the floor — then prints each project's
 * node_modules (packages, MB) and the median time of a fresh Node process to import the writer
 * (ESM `import()` and CommonJS `require()`), against importing the whole dashboard.
 *
 * Flags: --runs N (fresh processes per import, default 15).
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../src/service/package-info.js';
import { localPrebuild } from './lib/local-prebuild.js';
import { fmt, machineLine, printTable } from './lib/table.js';

const RUNS = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 15;
const ROOT = packageRoot();
const work = mkdtempSync(join(tmpdir(), 'tradewatch-bench-install-'));
const installEnv = { ...process.env, ...localPrebuild(work) };

function sh(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, env: installEnv, encoding: 'utf8', stdio: 'pipe' });
}

function bytesUnder(path: string): number {
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + bytesUnder(join(path, name)), 0);
}

/** Every package folder in a node_modules tree, nested ones included. */
function packageCount(modules: string): number {
  let count = 0;
  for (const name of readdirSync(modules)) {
    if (name.startsWith('.')) continue;
    const dirs = name.startsWith('@')
      ? readdirSync(join(modules, name)).map((n) => join(modules, name, n))
      : [join(modules, name)];
    for (const dir of dirs) {
      count++;
      const nested = join(dir, 'node_modules');
      if (lstatSync(dir).isDirectory() && readdirSync(dir).includes('node_modules'))
        count += packageCount(nested);
    }
  }
  return count;
}

function project(name: string, spec: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true }));
  sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', spec], dir);
  return dir;
}

/** Median ms of `code` in fresh Node processes, measured inside the process around the load. */
function loadMs(dir: string, code: string, type: 'module' | 'commonjs'): number {
  const script = `const t = performance.now(); ${code}; console.log(performance.now() - t);`;
  const samples = Array.from({ length: RUNS }, () =>
    Number(
      sh(
        process.execPath,
        type === 'module' ? ['--input-type=module', '-e', script] : ['-e', script],
        dir,
      ),
    ),
  ).sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? Number.NaN;
}

try {
  sh('npm', ['run', '--silent', 'build'], ROOT);
  const lean = sh(process.execPath, [join(ROOT, 'dist/scripts/pack-state.js')], ROOT).trim();
  const packed = sh('npm', ['pack', '--silent', '--pack-destination', work], ROOT);
  const fullTarball = join(work, packed.trim().split('\n').at(-1) ?? '');

  const projects = [
    ['better-sqlite3 alone (the floor)', project('floor', 'better-sqlite3')],
    ['tradewatch-state', project('lean', lean)],
    ['tradewatch (full)', project('full', fullTarball)],
  ] as const;
  printTable(
    ['installed into an empty project', 'packages', 'node_modules MB'],
    projects.map(([label, dir]) => [
      label,
      packageCount(join(dir, 'node_modules')),
      fmt(bytesUnder(join(dir, 'node_modules')) / 1024 / 1024, 1),
    ]),
  );
  console.log('');

  const leanDir = projects[1][1];
  const fullDir = projects[2][1];
  printTable(
    [`load in a fresh process (median of ${RUNS})`, 'ms'],
    [
      ['node, nothing loaded', fmt(loadMs(leanDir, 'void 0', 'module'), 1)],
      [
        "import('tradewatch-state')",
        fmt(loadMs(leanDir, "await import('tradewatch-state')", 'module'), 1),
      ],
      [
        "require('tradewatch-state')",
        fmt(loadMs(leanDir, "require('tradewatch-state')", 'commonjs'), 1),
      ],
      [
        "import('tradewatch/state')",
        fmt(loadMs(fullDir, "await import('tradewatch/state')", 'module'), 1),
      ],
      [
        'import the whole dashboard (dist/src/service/dashboard.js)',
        fmt(
          loadMs(
            fullDir,
            "await import('./node_modules/tradewatch/dist/src/service/dashboard.js')",
            'module',
          ),
          1,
        ),
      ],
    ],
  );
  console.log(`\n${await machineLine()}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
