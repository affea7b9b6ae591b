import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * The first line a child prints on stdout that matches; the rest of its output is drained so
 * the pipe never fills. Rejects if it exits first.
 *
 * @example const [, url] = await firstLine(dashboard, /listening on (\S+)/);
 */
export async function firstLine(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  for await (const line of createInterface({ input: child.stdout as NodeJS.ReadableStream })) {
    const match = pattern.exec(line);
    if (match) {
      child.stdout?.resume();
      return match;
    }
  }
  throw new Error(`process exited before printing ${pattern}`);
}
