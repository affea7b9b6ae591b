import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { onTestFinished } from 'vitest';
import { spawnTs } from './spawn.js';

export interface RunningCli {
  child: ChildProcess;
  url: string;
  /** Every stdout line so far (pino JSON), the listening line first. */
  lines: string[];
  stderr: () => string;
  /** Resolves with the first stdout line (already printed or to come) that matches. */
  line(pattern: RegExp): Promise<string>;
  /** Sends SIGTERM and resolves with the exit code and how long it took. */
  stop(): Promise<{ code: number | null; ms: number }>;
}

/** The URL of the pino line `tradewatch listening on URL`, or null for any other line. */
export function listeningUrl(line: string): string | null {
  let msg: unknown;
  try {
    msg = JSON.parse(line).msg;
  } catch {
    return null;
  }
  return /^tradewatch listening on (https?:\/\/\S+)$/.exec(String(msg))?.[1] ?? null;
}

/** Starts `tradewatch` in a real process (as `uid` if given) and resolves once it prints its listening line. */
export async function startCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  uid?: number,
): Promise<RunningCli> {
  const child = spawnTs('src/cli.ts', args, env, uid);
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const lines: string[] = [];
  const reader = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const exited = once(child, 'exit');
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const url = await new Promise<string>((resolve, reject) => {
    reader.on('line', (line) => {
      lines.push(line);
      const url = listeningUrl(line);
      if (url) resolve(url);
    });
    exited.then(([code]) =>
      reject(new Error(`tradewatch exited with ${code} before listening: ${stderr}`)),
    );
  });
  return {
    child,
    url,
    lines,
    stderr: () => stderr,
    line: (pattern) =>
      new Promise((resolve) => {
        const seen = lines.find((l) => pattern.test(l));
        if (seen !== undefined) return resolve(seen);
        const listener = (l: string) => {
          if (!pattern.test(l)) return;
          reader.off('line', listener);
          resolve(l);
        };
        reader.on('line', listener);
      }),
    async stop() {
      const started = Date.now();
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      return { code, ms: Date.now() - started };
    },
  };
}

/** `tradewatch` watching one engine file as `main`, on a free port, its data beside the file. */
export function serveEngine(db: string, extra: string[] = []): Promise<RunningCli> {
  return startCli(['--db', `main=${db}`, '--port', '0', '--data-dir', `${db}.data`, ...extra]);
}
