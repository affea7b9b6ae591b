import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { StateWriter } from '../../src/state/index.js';

const cli = fileURLToPath(new URL('../../src/cli.js', import.meta.url));

export interface E2eDashboard {
  child: ChildProcess;
  url: string;
  /** One value of the dashboard's /metrics (summed over labels). */
  metric(name: string): Promise<number>;
  stop(): Promise<void>;
}

/** The built dashboard (dist/src/cli.js) in a process of its own, watching `db` as `bench`. */
export async function startE2eDashboard(
  db: string,
  dataDir: string,
  extra: string[] = [],
): Promise<E2eDashboard> {
  const child = spawn(
    process.execPath,
    [cli, '--db', `bench=${db}`, '--port', '0', '--data-dir', dataDir, ...extra],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  for await (const line of createInterface({ input: child.stdout as NodeJS.ReadableStream })) {
    const match = /listening on (https?:\/\/[^\s"]+)/.exec(line);
    if (!match?.[1]) continue;
    child.stdout?.resume();
    const url = match[1];
    return {
      child,
      url,
      async metric(name) {
        const text = await (await fetch(`${url}/metrics`)).text();
        let sum = 0;
        for (const line of text.split('\n'))
          if (line.startsWith(`${name} `) || line.startsWith(`${name}{`))
            sum += Number(line.slice(line.lastIndexOf(' ') + 1));
        return sum;
      },
      async stop() {
        child.kill('SIGTERM');
        await once(child, 'exit');
      },
    };
  }
  throw new Error('dashboard exited before listening');
}

/** An engine's state: account, two symbols (one with a position), a heartbeat. */
export function seed(writer: StateWriter, value: number): void {
  writer.summary({ cash: 100_000, value, currency: 'USD' });
  writer.symbol('EURUSD', {
    price: 1.08 + (value % 100) / 1e5,
    position_size: 100_000,
    position_price: 1.08,
    sl_price: 1.07,
    tp_price: 1.1,
    rsi14: 40 + (value % 30),
  });
  writer.symbol('US500', { price: 5600 + (value % 50), position_size: 0, rsi14: 50 });
  writer.heartbeat();
}

/** The equity text the account panel shows for `value`. */
export const equityText = (value: number) =>
  `${new Intl.NumberFormat('en-US', { minimumFractionDigits: 2 }).format(value)} USD`;
