import { once } from 'node:events';
import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { describe, expect, it, onTestFinished } from 'vitest';
import { StateWriter } from '../../src/state/index.js';
import { appOver } from '../helpers/app.js';
import { hostSample } from '../helpers/host-sample.js';
import { freshDbPath } from '../helpers/tmp.js';

function engineDb() {
  const path = freshDbPath();
  const writer = StateWriter.open(path, { strict: true });
  writer.heartbeat({ status: 'running' });
  writer.close();
  return path;
}

describe('host metrics API', () => {
  it('serves the current values with thresholds and a status per metric, after a real sample', async () => {
    const { app, monitoring } = appOver([{ name: 'main', path: engineDb() }]);
    const empty = await request(app).get('/api/v1/monitoring/system-status').expect(200);
    expect(empty.body).toMatchObject({ status: 'unknown', sampled_at: null });
    await monitoring.host.sampleNow();
    await monitoring.host.sampleNow();
    const res = await request(app).get('/api/v1/monitoring/system-status').expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.cpu).toMatchObject({ unit: '%', threshold: 80, clear: 70 });
    expect(res.body.memory.value).toBeGreaterThan(0); // (CPU may be null: two samples within one clock tick)
    expect(res.body.memory.total_bytes).toBeGreaterThan(0);
    expect(res.body.disks.length).toBeGreaterThan(0);
    expect(['ok', 'warning', 'error', 'critical']).toContain(res.body.status);
    const current = await request(app).get('/api/metrics/current').expect(200);
    expect(Object.keys(current.body)).toEqual(
      expect.arrayContaining([
        'cpu_percent',
        'memory_percent',
        'memory_available_gb',
        'disk_percent',
        'disk_free_gb',
      ]),
    );
  });

  it('serves history per metric, rolled up into min/avg/max beyond an hour, and rejects bad input', async () => {
    const { app, monitoring, history } = appOver([{ name: 'main', path: engineDb() }]);
    const now = Date.now();
    for (let i = 0; i < 10; i++) {
      const sample = hostSample(now - 2 * 3_600_000 + i * 60_000, { cpu: i % 2 ? 90 : 10 });
      history.recordSeries('@host', [['cpu_percent', sample.cpuPct ?? 0]], sample.atMs);
    }
    await monitoring.host.sampleNow();
    const recent = await request(app)
      .get('/api/metrics/history?metric=cpu_percent&since=30m')
      .expect(200);
    expect(recent.body).toMatchObject({ rollup: false, columns: ['t', 'value'] });
    const long = await request(app)
      .get('/api/metrics/history?metric=cpu_percent&since=3h')
      .expect(200);
    expect(long.body).toMatchObject({ rollup: true, columns: ['t', 'min', 'avg', 'max'] });
    const first = long.body.points[0] as number[];
    expect(first).toHaveLength(4);
    expect(Math.max(...long.body.points.map((p: number[]) => p[3]))).toBe(90); // the spike survives
    await request(app)
      .get('/api/metrics/history')
      .expect(400, /metric is required; recorded: cpu_percent/);
    await request(app)
      .get('/api/metrics/history?metric=gpu')
      .expect(404, /no metric .{1,2}gpu/);
    await request(app)
      .get('/api/metrics/history?metric=cpu_percent&since=yesterday')
      .expect(400, /since must be/);
  });
});

describe('alerts API', () => {
  it('lists newest first, filters by state, bounds the limit, and acknowledges (the nav count drops)', async () => {
    const { app, monitoring } = appOver([{ name: 'main', path: engineDb() }], {}, [
      '--alert',
      'cpu.for=0',
      '--alert',
      'disk.for=0',
    ]);
    const t = Date.now();
    const evaluate = (cpu: number, disk: number, dt: number) =>
      monitoring.host.emit('sample', hostSample(t + dt, { cpu, disks: { '/': disk } }));
    evaluate(95, 99, 0);
    evaluate(10, 99, 5000); // cpu resolves, disk keeps firing
    const all = await request(app).get('/api/v1/monitoring/alerts').expect(200);
    expect(
      all.body.alerts.map((a: { rule: string; state: string }) => `${a.rule}:${a.state}`),
    ).toEqual(['disk:firing', 'cpu:resolved']);
    const firing = await request(app)
      .get('/api/v1/monitoring/alerts?state=firing&limit=1')
      .expect(200);
    expect(firing.body.count).toBe(1);
    const id = firing.body.alerts[0].id;
    await request(app)
      .get('/api/v1/monitoring/alerts?limit=0')
      .expect(400, /limit must be a whole number from 1 to 1000/);
    await request(app)
      .get('/api/v1/monitoring/alerts?state=open')
      .expect(400, /state must be one of/);

    const navCount = async () =>
      /id="alert-count"[^>]*>([^<]*)</.exec(
        (await request(app).get('/live').expect(200)).text,
      )?.[1];
    expect(await navCount()).toBe('1');
    const acked = await request(app).post(`/api/v1/monitoring/alerts/${id}/ack`).expect(200);
    expect(acked.body.alert).toMatchObject({ id, acked: true });
    expect(await navCount()).toBe(''); // an acknowledged alert no longer counts in the nav
    const cpuId = all.body.alerts[1].id;
    await request(app)
      .post(`/api/v1/monitoring/alerts/${cpuId}/ack`)
      .expect(409, /has resolved/);
    await request(app)
      .post('/api/v1/monitoring/alerts/999/ack')
      .expect(404, /no alert 999/);
    await request(app).post('/api/v1/monitoring/alerts/abc/ack').expect(400);
  });

  it('refuses an acknowledgement from another site', async () => {
    const { app, monitoring } = appOver([{ name: 'main', path: engineDb() }], {}, [
      '--allowed-host',
      'dash.lan',
      '--alert',
      'disk.for=0',
    ]);
    monitoring.host.emit('sample', hostSample(Date.now(), { disks: { '/': 99 } }));
    const id = monitoring.alerts.active()[0]?.id;
    await request(app)
      .post(`/api/v1/monitoring/alerts/${id}/ack`)
      .set('Origin', 'http://evil.example')
      .expect(403, /cannot change anything here/);
    await request(app)
      .post(`/api/v1/monitoring/alerts/${id}/ack`)
      .set('Sec-Fetch-Site', 'cross-site')
      .expect(403);
    expect(monitoring.alerts.active()[0]?.ackedAtMs).toBeNull();
    await request(app)
      .post(`/api/v1/monitoring/alerts/${id}/ack`)
      .set('Host', 'dash.lan:5003')
      .set('Origin', 'http://dash.lan:5003')
      .set('Sec-Fetch-Site', 'same-origin')
      .expect(200);
  });
});

describe('monitoring pages', () => {
  it('/alerts shows active and resolved alerts with an acknowledge button, and the channels', async () => {
    const { app, monitoring } = appOver([{ name: 'main', path: engineDb() }], {}, [
      '--alert',
      'cpu.for=0',
      '--notify-webhook',
      'http://127.0.0.1:1/secret-path-token',
    ]);
    monitoring.host.emit('sample', hostSample(Date.now(), { cpu: 97 }));
    const page = await request(app).get('/alerts').expect(200);
    expect(page.text).toMatch(
      /<li class="alert alert-warning" data-alert-id="\d+" data-state="firing">/,
    );
    expect(page.text).toContain('CPU at 97.0 %');
    expect(page.text).toMatch(/hx-post="\/api\/v1\/monitoring\/alerts\/\d+\/ack"/);
    expect(page.text).toContain('webhook 127.0.0.1:1');
    expect(page.text).not.toContain('secret-path-token'); // channel labels never show secrets
    const live = await request(app).get('/live').expect(200);
    expect(live.text).toMatch(/id="alert-count" class="count-badge" >1</);
  });

  it('/system shows the host table and chart canvases', async () => {
    const { app, monitoring } = appOver([{ name: 'main', path: engineDb() }]);
    await monitoring.host.sampleNow();
    const page = await request(app).get('/system').expect(200);
    expect(page.text).toMatch(/<th scope="row"[^>]*>CPU<\/th>/);
    expect(page.text).toMatch(/<th scope="row"[^>]*>Disk \//);
    expect(page.text).toContain('data-line="cpu_percent,memory_percent"');
  });
});

describe('log viewer', () => {
  it('/logs shows the selected file with levels, escapes hostile lines, and counts errors', async () => {
    const log = `${freshDbPath()}.log`;
    writeFileSync(
      log,
      'INFO started\nERROR broker rejected order\n<script>alert(1)</script> WARNING odd\n',
    );
    const { app } = appOver([{ name: 'main', path: engineDb() }], {
      trading: log,
      missing: `${log}.nope`,
    });
    const page = await request(app).get('/logs?name=trading').expect(200);
    expect(page.text).toContain('<li class="log-error">ERROR broker rejected order</li>');
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; WARNING odd');
    expect(page.text).not.toContain('<script>alert(1)</script>');
    expect(page.text).toMatch(/id="log-error-number">1</);
    const missing = await request(app).get('/logs?name=missing').expect(200);
    expect(missing.text).toMatch(
      /id="log-problem" role="alert">log file .*nope does not exist \(yet\)/,
    );
    await request(app)
      .get('/logs?name=../../etc/passwd')
      .expect(404, /no log named/);
  });

  it('downloads a configured log whole, and no other file', async () => {
    const log = `${freshDbPath()}.log`;
    writeFileSync(log, 'line 1\nline 2\n');
    const { app } = appOver([{ name: 'main', path: engineDb() }], { trading: log });
    const res = await request(app).get('/logs/download/trading').expect(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="trading.log"');
    expect(res.text).toBe('line 1\nline 2\n');
    await request(app).get('/logs/download/passwd').expect(404);
  });

  it('follows a log over SSE: appended lines, then rotation, on a real port', async () => {
    const log = `${freshDbPath()}.log`;
    writeFileSync(log, 'old line\n');
    const { app } = appOver([{ name: 'main', path: engineDb() }], { trading: log });
    const server = createServer(app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    onTestFinished(() => {
      server.closeAllConnections();
      server.close();
    });
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/logs/stream/trading`);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const nextEvent = async (name: string) => {
      for (;;) {
        const match = new RegExp(`event: ${name}\\ndata: (.*)\\n\\n`).exec(buffer);
        if (match) {
          buffer = buffer.slice((match.index ?? 0) + match[0].length);
          return JSON.parse(match[1] ?? 'null');
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value);
      }
    };
    await nextEvent('ready'); // the follower has taken the end of the file as its start
    appendFileSync(log, 'ERROR new line\npartial');
    const lines = await nextEvent('lines');
    expect(lines.lines).toEqual([{ text: 'ERROR new line', level: 'ERROR', cut: false }]);
    renameSync(log, `${log}.1`);
    writeFileSync(log, 'fresh file\n');
    const reset = await nextEvent('reset');
    expect(reset.reason).toBe('the file was rotated');
    expect(reset.lines.map((l: { text: string }) => l.text)).toEqual(['fresh file']);
    await reader.cancel();
  });
});
