import { describe, expect, it } from 'vitest';
import { startCli } from '../helpers/cli.js';
import { startReceiver } from '../helpers/receivers.js';
import { scriptedWriter } from '../helpers/scripted-writer.js';
import { freshDbPath } from '../helpers/tmp.js';

interface Hook {
  event: string;
  title: string;
  alert: { rule: string; level: string; state: string; subject: string; message: string };
}

/**
 * The whole path with real processes: an engine process writes, the tradewatch CLI polls it
 * and evaluates the rules, and a real HTTP receiver gets the notifications.
 */
describe('alerts end to end (engine process → dashboard process → webhook)', () => {
  /** A dashboard on `db` that notifies `hookUrl` of everything; its data lives beside `db`. */
  const dashboardArgs = (db: string, hookUrl: string) => [
    ...['--db', `main=${db}`, '--port', '0', '--poll-ms', '100', '--data-dir', `${db}.data`],
    ...['--notify-webhook', `${hookUrl}/hook`, '--notify-level', 'webhook=INFO'],
  ];

  async function setup(staleAfter: string) {
    const db = freshDbPath();
    const hook = await startReceiver(() => ({ status: 204 }));
    const engine = scriptedWriter(db);
    // The first heartbeat after the dashboard is up: a dashboard slow to start (a loaded machine)
    // must not find the engine's only change already older than --stale-after.
    const cli = await startCli([...dashboardArgs(db, hook.url), '--stale-after', staleAfter]);
    await engine.call('heartbeat', { status: 'running' });
    let seen = 0;
    /** The next notification received (in order). */
    const nextHook = async () => (await hook.request(seen++)).body as Hook;
    return { db, hook, engine, cli, nextHook };
  }

  it('a stopped engine fires one CRITICAL that reaches the webhook, and restarting it resolves it', async () => {
    const { db, engine, cli, nextHook } = await setup('3s');
    await engine.call('symbol', 'EURUSD', {
      price: 1.0,
      position_size: 100_000,
      position_price: 1.2,
    });
    const loss = await nextHook();
    expect(loss).toMatchObject({
      event: 'firing',
      alert: { rule: 'position-loss', subject: 'EURUSD' },
    });
    await engine.kill();
    const stale = await nextHook();
    expect(stale).toMatchObject({ event: 'firing', alert: { rule: 'stale', level: 'CRITICAL' } });
    expect(stale.title).toMatch(/CRITICAL FIRING · main/);

    const restarted = scriptedWriter(db);
    await restarted.call('heartbeat', { status: 'running' });
    await restarted.call('symbol', 'EURUSD', { price: 1.0, position_size: 0 });
    const resolved = [await nextHook(), await nextHook()].map((h) => `${h.event}:${h.alert.rule}`);
    // One CRITICAL while stale (the position alert was muted, not re-sent), then both resolve.
    expect(resolved.sort()).toEqual(['resolved:position-loss', 'resolved:stale']);

    const res = await fetch(`${cli.url}/api/v1/monitoring/alerts?state=resolved`);
    const body = (await res.json()) as { alerts: Array<{ rule: string }> };
    expect(body.alerts.map((a) => a.rule).sort()).toEqual(['position-loss', 'stale']);
  });

  it('a broker disconnect and an engine-raised alert fire and resolve; an ack survives a restart', async () => {
    const { db, hook, engine, cli, nextHook } = await setup('60s');
    await engine.call('broker', { connected: false, server: 'demo-server' });
    expect(await nextHook()).toMatchObject({
      event: 'firing',
      alert: { rule: 'broker', level: 'ERROR' },
    });
    await engine.call('event', 'alert', 'CRITICAL', 'Order rejected 3 times', { key: 'rejects' });
    const raised = await nextHook();
    expect(raised).toMatchObject({
      event: 'firing',
      alert: {
        rule: 'engine-alert',
        level: 'CRITICAL',
        subject: 'rejects',
        message: 'Order rejected 3 times',
      },
    });

    const list = (await (
      await fetch(`${cli.url}/api/v1/monitoring/alerts?state=firing`)
    ).json()) as {
      alerts: Array<{ id: number; rule: string }>;
    };
    const brokerAlert = list.alerts.find((a) => a.rule === 'broker');
    const ack = await fetch(`${cli.url}/api/v1/monitoring/alerts/${brokerAlert?.id}/ack`, {
      method: 'POST',
    });
    expect(ack.status).toBe(200);

    // Restart the dashboard on the same data directory: the alerts and the ack are still there.
    await cli.stop();
    const again = await startCli(dashboardArgs(db, hook.url));
    const after = (await (
      await fetch(`${again.url}/api/v1/monitoring/alerts?state=firing`)
    ).json()) as {
      alerts: Array<{ rule: string; acked: boolean }>;
    };
    expect(after.alerts.map((a) => `${a.rule}:${a.acked}`).sort()).toEqual([
      'broker:true',
      'engine-alert:false',
    ]);

    // Both resolve; the acknowledged one's resolve is still told (it was told it fired).
    await engine.call('broker', { connected: true, server: 'demo-server' });
    await engine.call('event', 'alert', 'INFO', 'Orders flow again', {
      key: 'rejects',
      resolved: true,
    });
    const resolved = [await nextHook(), await nextHook()].map((h) => `${h.event}:${h.alert.rule}`);
    expect(resolved.sort()).toEqual(['resolved:broker', 'resolved:engine-alert']);
    const active = (await (
      await fetch(`${again.url}/api/v1/monitoring/alerts?state=active`)
    ).json()) as {
      count: number;
    };
    expect(active.count).toBe(0);
  });
});
