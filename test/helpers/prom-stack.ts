import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { parse, stringify } from 'yaml';
import { ROOT } from './spawn.js';

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released for the child to take). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls `probe` until it returns a value (not undefined), or fails with `what` after `ms`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown = null;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** Starts a system binary that is killed when the test ends; its output is kept for errors. */
function daemon(binary: string, args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (c) => {
    output += c;
  });
  child.stderr?.on('data', (c) => {
    output += c;
  });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, output: () => output.slice(-4000) };
}

async function ready(url: string, what: string, output: () => string) {
  await waitFor(`${what} to be ready (${output()})`, async () =>
    (await fetch(url)).ok ? true : undefined,
  );
}

/**
 * A real Alertmanager on loopback with the shipped docs/alertmanager.yml: every receiver pointed
 * at `webhook`, and group timings shortened so a test sees notifications within seconds.
 */
export async function startAlertmanager(binary: string, dir: string, webhook: string) {
  const config = parse(readFileSync(join(ROOT, 'docs/alertmanager.yml'), 'utf8'));
  for (const receiver of config.receivers)
    for (const hook of receiver.webhook_configs ?? []) hook.url = webhook;
  Object.assign(config.route, { group_wait: '1s', group_interval: '1s' });
  const file = join(dir, 'alertmanager.yml');
  writeFileSync(file, stringify(config));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const am = daemon(binary, [
    `--config.file=${file}`,
    `--storage.path=${join(dir, 'am-data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--cluster.listen-address=', // no gossip port on 0.0.0.0
  ]);
  await ready(`${url}/-/ready`, 'Alertmanager', am.output);
  return { url, ...am };
}

/**
 * A real Prometheus on loopback with the shipped docs/prometheus/prometheus.yml and rules,
 * discovering `targets` through a targets file shaped like the shipped example; 1 s scrape and
 * evaluation intervals.
 */
export async function startPrometheus(
  dir: string,
  targets: Array<{ address: string; instance: string }>,
) {
  const config = parse(readFileSync(join(ROOT, 'docs/prometheus/prometheus.yml'), 'utf8'));
  Object.assign(config.global, {
    scrape_interval: '1s',
    scrape_timeout: '1s',
    evaluation_interval: '1s',
  });
  config.rule_files = [join(ROOT, 'docs/prometheus-rules.yml')];
  delete config.alerting; // the dashboards' own pushes are under test, not Prometheus' rules
  const sd = config.scrape_configs[0].file_sd_configs[0];
  sd.files = [join(dir, 'targets', '*.yml')];
  const example = parse(readFileSync(join(ROOT, 'docs/prometheus/tradewatch-targets.yml'), 'utf8'));
  const entries = targets.map((t, i) => ({
    ...example[i],
    targets: [t.address],
    labels: { ...example[i]?.labels, instance: t.instance },
  }));
  mkdirSync(join(dir, 'targets'), { recursive: true });
  writeFileSync(join(dir, 'targets', 'tradewatch.yml'), stringify(entries));
  const file = join(dir, 'prometheus.yml');
  writeFileSync(file, stringify(config));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const prom = daemon('prometheus', [
    `--config.file=${file}`,
    `--storage.tsdb.path=${join(dir, 'prom-data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ]);
  await ready(`${url}/-/ready`, 'Prometheus', prom.output);
  /** An instant PromQL query's result vector. */
  const query = async (promql: string) => {
    const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as {
      data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
    };
    return body.data.result;
  };
  return { url, query, ...prom };
}
