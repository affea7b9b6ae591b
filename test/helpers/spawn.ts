import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * `node --import tsx <file> <args>`, or, given a uid, the same run as that user and group with no
 * supplementary groups (`setpriv`; the tests run as root here and in CI), as another service's
 * user would run it.
 */
export function tsCommand(file: string, args: string[], uid?: number): [string, string[]] {
  const node = [process.execPath, '--import', 'tsx', file, ...args];
  if (uid === undefined) return [process.execPath, node.slice(1)];
  return ['setpriv', ['--reuid', String(uid), '--regid', String(uid), '--clear-groups', ...node]];
}

/** Runs a TypeScript file of this repository in a real Node process (through tsx), as `uid` if given. */
export function spawnTs(
  file: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
  uid?: number,
): ChildProcess {
  const [command, argv] = tsCommand(file, args, uid);
  return spawn(command, argv, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Waits for the process to end; returns its exit code and everything it printed. */
export async function finished(
  child: ChildProcess,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}
