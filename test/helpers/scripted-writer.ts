import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { onTestFinished } from 'vitest';
import { ROOT, tsCommand } from './spawn.js';

export interface ScriptedWriterOptions {
  /** The fixture under test/fixtures/ that runs the writer (default: scripted-writer.ts). */
  fixture?: string;
  /** Extra arguments for the fixture after the path. */
  args?: string[];
  /** Run the engine as this uid (setpriv). */
  uid?: number;
}

/** A real engine process whose writer calls the test makes one by one (see the fixture). */
export function scriptedWriter(path: string, options: ScriptedWriterOptions = {}) {
  const { fixture = 'scripted-writer.ts', args = [], uid } = options;
  const [command, argv] = tsCommand(`test/fixtures/${fixture}`, [path, ...args], uid);
  const child = spawn(command, argv, { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
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
