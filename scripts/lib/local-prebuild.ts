import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/service/package-info.js';

/**
 * The project's own compiled better-sqlite3 addon, packed as the prebuilt binary that
 * prebuild-install looks for before it downloads (`npm_config_better_sqlite3_local_prebuilds`):
 * an `npm install` into a fresh project then takes seconds instead of a C++ build when GitHub's
 * release downloads are out of reach. Everything else still comes from the registry. Returns
 * the environment to install with ({} when this checkout has no compiled addon).
 *
 * @example
 * execFileSync('npm', ['install', tarball], { cwd: project, env: { ...process.env, ...localPrebuild(tmp) } });
 */
export function localPrebuild(dir: string): NodeJS.ProcessEnv {
  const module = join(packageRoot(), 'node_modules/better-sqlite3');
  const addon = join(module, 'build/Release/better_sqlite3.node');
  if (!existsSync(addon)) return {};
  const { version } = JSON.parse(readFileSync(join(module, 'package.json'), 'utf8'));
  const abi = process.versions.modules;
  const name = `better-sqlite3-v${version}-node-v${abi}-${process.platform}-${process.arch}.tar.gz`;
  const stage = join(dir, 'stage');
  mkdirSync(join(stage, 'build/Release'), { recursive: true });
  copyFileSync(addon, join(stage, 'build/Release/better_sqlite3.node'));
  execFileSync('tar', ['-czf', join(dir, name), '-C', stage, 'build']);
  return { npm_config_better_sqlite3_local_prebuilds: dir };
}
