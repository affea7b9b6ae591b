import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startCli } from '../helpers/cli.js';
import { startAlertmanager, startPrometheus, waitFor } from '../helpers/prom-stack.js';
import { type Received, startReceiver } from '../helpers/receivers.js';
import { spawnTs } from '../helpers/spawn.js';
import { tempDir } from '../helpers/tmp.js';

/** Debian names Alertmanager's binary prometheus-alertmanager; upstream, alertmanager. */
function binary(names: string[]): string | null {
  for (const name of names) {
    try {
      execFileSync('which', [name], { stdio: 'ignore' });
      return name;
    } catch {
      // try the next name
    }
  }
  return null;
}
const prometheus = binary(['prometheus']);
const alertmanager = binary(['prometheus-alertmanager', 'alertmanager']);
const missing = !prometheus || !alertmanager;
if (missing && process.env.CI)
  throw new Error('prometheus and prometheus-alertmanager must be installed in CI (.ci/run)');
if (missing)
  console.warn(
    'skipping the fleet test: apt-get install prometheus prometheus-alertmanager to run it',
  );

interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  endsAt: string;
  status: { state: string; silencedBy: string[] };
}

/** A webhook notification from Alertmanager: which alerts, firing or resolved. */
const alertsIn = (r: Received) =>
  (r.body as { alerts: Array<{ status: string; labels: Record<string, string> }> }).alerts;

describe.skipIf(missing)('a fleet of two hosts with real Prometheus and Alertmanager', () => {
  const dir = tempDir();

  it('scrapes both hosts, evaluates the shipped rules, and routes, resolves and silences alerts pushed by the dashboards', {
    timeout: 90_000,
  }, async () => {
    const hook = await startReceiver();
    const am = await startAlertmanager(alertmanager as string, dir, `${hook.url}/hook`);

    // Two "hosts": each a dashboard with its own engine process and its own instance name.
    const engine = (db: string) => {
      const child = spawnTs('scripts/simulate-engine.ts', [
        '--db',
        db,
        '--interval-ms',
        '200',
        '--quiet',
      ]);
      onTestFinished(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      });
      return child;
    };
    const hosts = await Promise.all(
      [
        { instance: 'trading-box-1', name: 'alpha' },
        { instance: 'trading-box-2', name: 'beta' },
      ].map(async (h) => {
        const db = join(dir, `${h.name}.db`);
        const child = engine(db);
        const cli = await startCli([
          '--db',
          `${h.name}=${db}`,
          '--port',
          '0',
          '--data-dir',
          join(dir, `${h.instance}-data`),
          '--stale-after',
          '1s',
          '--poll-ms',
          '200',
          '--alertmanager-url',
          am.url,
          '--instance',
          h.instance,
        ]);
        return { ...h, db, cli, child };
      }),
    );
    const [a, b] = hosts as [(typeof hosts)[0], (typeof hosts)[0]];
    const prom = await startPrometheus(
      dir,
      hosts.map((h) => ({ address: new URL(h.cli.url).host, instance: h.instance })),
    );

    // Prometheus found both dashboards through the targets file, labelled by instance...
    const up = await waitFor('both engines live in Prometheus', async () => {
      const r = await prom.query('tradewatch_engine_up == 1');
      return r.length === 2 ? r : undefined;
    });
    expect(up.map((s) => `${s.metric.instance}/${s.metric.engine}`).sort()).toEqual([
      'trading-box-1/alpha',
      'trading-box-2/beta',
    ]);
    // ...and evaluates the shipped rules: the fleet recording rule has a value per host.
    const perHost = await waitFor('the fleet recording rule', async () => {
      const r = await prom.query('instance_state:tradewatch_engine_state:sum{state="live"}');
      return r.length === 2 ? r : undefined;
    });
    expect(perHost.map((s) => [s.metric.instance, s.value[1]]).sort()).toEqual([
      ['trading-box-1', '1'],
      ['trading-box-2', '1'],
    ]);

    // The engine of host 1 dies: its dashboard pushes a firing alert to Alertmanager.
    const amAlerts = async (filter: string) =>
      (await (
        await fetch(`${am.url}/api/v2/alerts?filter=${encodeURIComponent(filter)}`)
      ).json()) as AmAlert[];
    a.child.kill('SIGKILL');
    const firing = await waitFor('the stale alert of alpha in Alertmanager', async () =>
      (await amAlerts('engine="alpha"')).find((x) => x.labels.alertname === 'stale'),
    );
    expect(firing.labels).toMatchObject({
      alertname: 'stale',
      engine: 'alpha',
      severity: 'critical',
      instance: 'trading-box-1',
    });
    expect(firing.annotations.description).toMatch(/alpha/);
    expect(firing.status.state).toBe('active');
    const told = await waitFor('the webhook behind Alertmanager to be told', async () =>
      hook.received.find((r) =>
        alertsIn(r).some((x) => x.status === 'firing' && x.labels.engine === 'alpha'),
      ),
    );
    expect(told.path).toBe('/hook');
    // Prometheus sees the same host from its side: the shipped rule is pending (for: 1m).
    await waitFor('TradewatchEngineNotLive pending in Prometheus', async () => {
      const res = await fetch(`${prom.url}/api/v1/alerts`);
      const body = (await res.json()) as {
        data: { alerts: Array<{ labels: Record<string, string>; state: string }> };
      };
      return body.data.alerts.find(
        (x) =>
          x.labels.alertname === 'TradewatchEngineNotLive' &&
          x.labels.instance === 'trading-box-1' &&
          x.labels.engine === 'alpha',
      );
    });

    // The engine comes back: the resolve reaches Alertmanager (endsAt) and the webhook.
    const restarted = engine(a.db);
    await waitFor('alpha resolved in Alertmanager', async () =>
      (await amAlerts('engine="alpha"')).length === 0 ? true : undefined,
    );
    await waitFor('the webhook to be told alpha resolved', async () =>
      hook.received.find((r) =>
        alertsIn(r).some((x) => x.status === 'resolved' && x.labels.engine === 'alpha'),
      ),
    );

    // A silence on host 2's engine: its alert reaches Alertmanager but not the webhook.
    const silence = (await (
      await fetch(`${am.url}/api/v2/silences`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          matchers: [
            { name: 'instance', value: 'trading-box-2', isRegex: false, isEqual: true },
            { name: 'engine', value: 'beta', isRegex: false, isEqual: true },
          ],
          startsAt: new Date().toISOString(),
          endsAt: new Date(Date.now() + 3_600_000).toISOString(),
          createdBy: 'fleet test',
          comment: 'maintenance of beta',
        }),
      })
    ).json()) as { silenceID: string };
    b.child.kill('SIGKILL');
    const silenced = await waitFor('beta suppressed by the silence', async () =>
      (await amAlerts('engine="beta"')).find((x) => x.status.state === 'suppressed'),
    );
    expect(silenced.status.silencedBy).toEqual([silence.silenceID]);
    // Then alpha dies again. Its notification, sent after beta was suppressed with the same
    // group timings, marks the point by which beta's would have arrived too.
    const before = hook.received.length;
    restarted.kill('SIGKILL');
    await waitFor('a second firing of alpha at the webhook', async () =>
      hook.received
        .slice(before)
        .find((r) => alertsIn(r).some((x) => x.status === 'firing' && x.labels.engine === 'alpha')),
    );
    const aboutBeta = hook.received.filter((r) =>
      alertsIn(r).some((x) => x.labels.engine === 'beta'),
    );
    expect(aboutBeta).toEqual([]);

    await Promise.all(hosts.map((h) => h.cli.stop()));
  });
});
