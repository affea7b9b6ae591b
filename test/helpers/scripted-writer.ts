import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { onTestFinished } from 'vitest';
import { ROOT, tsCommand } from './spawn.js';

/** A real engine process whose writer calls the test makes one by one (see the fixture). */
export function scriptedWriter(path: string, fixture = 'scripted-writer.ts', ...extra: string[]) {
  return startWriter(path, fixture, extra);
}

/** The same engine run as another user (`setpriv`; the tests run as root). */
export function scriptedWriterAs(uid: number, path: string) {
  return startWriter(path, 'scripted-writer.ts', [], uid);
}

function startWriter(path: string, fixture: string, extra: string[], uid?: number) {
  const [command, args] = tsCommand(`test/fixtures/${fixture}`, [path, ...extra], uid);
  const child = spawn(command, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const acks: Array<() => void> = [];
  // An engine that dies (cannot open its file, say) fails the call the test is waiting on.
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`the engine exited (${code})`))),
  );
  exited.catch(() => {});
  createInterface({ input: child.stdout }).on('line', () => acks.shift()?.());
  return {
    child,
    /** Calls a StateWriter method in the engine process; resolves once it returned. */
    call(method: string, ...args: unknown[]): Promise<void> {
      const acked = new Promise<void>((resolve) => {
        acks.push(resolve);
        child.stdin.write(`${JSON.stringify({ method, args })}\n`);
      });
      return Promise.race([acked, exited]);
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
