import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { localPrebuild } from '../../scripts/lib/local-prebuild.js';
import { ROOT } from '../helpers/spawn.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * The lean writer package as an engine author gets it: `npm run pack:state`'s tarball installed
 * into an empty project from the npm registry, then used from strict ESM TypeScript and from
 * CommonJS. Slow (a real `npm install`), so it runs once per file.
 */
const FIXTURES = join(ROOT, 'test/fixtures/state-package');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const MB = 1024 * 1024;

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(command, args, {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Bytes of every file under `path` (symlinks counted as links), like `du --apparent-size`. */
function bytesUnder(path: string): number {
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + bytesUnder(join(path, name)), 0);
}

/** `name` and every package it depends on, as installed in `modules` (a flat node_modules). */
function closure(modules: string, name: string, seen = new Set<string>()): Set<string> {
  if (seen.has(name) || !existsSync(join(modules, name, 'package.json'))) return seen;
  seen.add(name);
  const manifest = JSON.parse(readFileSync(join(modules, name, 'package.json'), 'utf8'));
  for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies }))
    closure(modules, dep, seen);
  return seen;
}

describe('the packed writer package (npm run pack:state) in an empty project', () => {
  const work = tempDir();
  const project = join(work, 'engine');
  let tarball = '';

  beforeAll(() => {
    run(process.execPath, ['--import', 'tsx', 'scripts/build-state.ts'], ROOT);
    tarball = run(process.execPath, ['--import', 'tsx', 'scripts/pack-state.ts'], ROOT).trim();
    execFileSync('mkdir', ['-p', project, join(work, 'prebuilds')]);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'engine', version: '1.0.0', private: true, type: 'module' }),
    );
    run(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball],
      project,
      localPrebuild(join(work, 'prebuilds')),
    );
    for (const file of ['engine.ts', 'type-errors.ts', 'engine.cjs', 'tsconfig.json'])
      copyFileSync(join(FIXTURES, file), join(project, file));
  }, 600_000);

  it('depends on better-sqlite3 only, and adds under 1 MB to its tree', () => {
    const modules = join(project, 'node_modules');
    const manifest = JSON.parse(
      readFileSync(join(modules, 'tradewatch-state/package.json'), 'utf8'),
    );
    expect(Object.keys(manifest.dependencies)).toEqual(['better-sqlite3']);
    const ownTree = closure(modules, 'better-sqlite3');
    const installed = readdirSync(modules).flatMap((name) =>
      name.startsWith('.')
        ? []
        : name.startsWith('@')
          ? readdirSync(join(modules, name)).map((n) => `${name}/${n}`)
          : [name],
    );
    expect(installed.filter((name) => !ownTree.has(name)).sort()).toEqual(['tradewatch-state']);
    const treeBytes = [...ownTree].reduce((sum, name) => sum + bytesUnder(join(modules, name)), 0);
    expect(bytesUnder(modules)).toBeLessThanOrEqual(treeBytes + MB);
    expect(bytesUnder(join(modules, 'tradewatch-state'))).toBeLessThan(MB);
  });

  it('ships its API reference and no source maps', () => {
    const dir = join(project, 'node_modules/tradewatch-state');
    expect(readFileSync(join(dir, 'docs/api.md'), 'utf8')).toMatch(/^## StateWriter\.open/m);
    const files = (sub: string): string[] =>
      readdirSync(join(dir, sub), { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(sub, e.name)) : [join(sub, e.name)],
      );
    expect(files('.').filter((f) => f.endsWith('.map'))).toEqual([]);
  });

  it('compiles a strict nodenext TypeScript engine whose values are interfaces and classes, and rejects a misspelt level', () => {
    // type-errors.ts holds @ts-expect-error lines: an accepted mistake fails this compile.
    run(process.execPath, [tsc, '-p', 'tsconfig.json'], project);
    const db = join(project, 'esm.db');
    run(process.execPath, ['engine.js', db], project);
    const rows = new Database(db, { readonly: true });
    const status = rows.prepare('SELECT key, value FROM live_status ORDER BY key').all();
    const events = rows.prepare('SELECT type, level, symbol FROM live_events ORDER BY id').all();
    rows.close();
    expect(status).toEqual([
      { key: 'chart_EURUSD', value: '{"price":1.0842,"rsi14":61.2}' },
      { key: 'summary', value: '{"cash":1000,"value":1012.5,"currency":"USD","desk":"esm"}' },
    ]);
    expect(events).toEqual([
      { type: 'trade', level: null, symbol: 'EURUSD' },
      { type: 'alert', level: 'WARNING', symbol: 'EURUSD' },
    ]);
  });

  it('runs a CommonJS engine through require()', () => {
    const db = join(project, 'cjs.db');
    run(process.execPath, ['engine.cjs', db], project);
    const rows = new Database(db, { readonly: true });
    const summary = rows.prepare("SELECT value FROM live_status WHERE key = 'summary'").get();
    const engine = rows.prepare("SELECT value FROM live_status WHERE key = 'engine'").get() as {
      value: string;
    };
    rows.close();
    expect(summary).toEqual({ value: '{"cash":2000,"value":2001,"currency":"EUR","desk":"cjs"}' });
    expect(JSON.parse(engine.value)).toMatchObject({ status: 'running', mode: 'paper' });
  });

  it('keeps tradewatch/state of the full package working from require() too', () => {
    const out = run(
      process.execPath,
      ['-e', "console.log(typeof require('tradewatch/state').StateWriter.open)"],
      ROOT,
    );
    expect(out.trim()).toBe('function');
  });
});
