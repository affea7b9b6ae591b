import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { onTestFinished } from 'vitest';
import { ROOT } from './spawn.js';

/** A real engine process whose writer calls the test makes one by one (see the fixture). */
export function scriptedWriter(path: string, fixture = 'scripted-writer.ts', ...extra: string[]) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', `test/fixtures/${fixture}`, path, ...extra],
    {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const acks: Array<() => void> = [];
  createInterface({ input: child.stdout }).on('line', () => acks.shift()?.());
  return {
    child,
    /** Calls a StateWriter method in the engine process; resolves once it returned. */
    call(method: string, ...args: unknown[]): Promise<void> {
      return new Promise((resolve) => {
        acks.push(resolve);
        child.stdin.write(`${JSON.stringify({ method, args })}\n`);
      });
    },
    /** Dies without a word, as a crashed engine would. */
    kill(): Promise<void> {
      return new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    },
  };
}
