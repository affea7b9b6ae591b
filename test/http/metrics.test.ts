import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { MAX_SYMBOL_SERIES } from '../../src/monitor/prometheus.js';
import { StateWriter } from '../../src/state/index.js';
import { appOver } from '../helpers/app.js';
import { hasBinary } from '../helpers/binaries.js';
import { ROOT } from '../helpers/spawn.js';
import { freshDbPath } from '../helpers/tmp.js';

async function scrape() {
  const path = freshDbPath();
  const writer = StateWriter.open(path, { strict: true });
  writer.summary({ cash: 9_000, value: 9_500 });
  writer.updateMany(
    Array.from(
      { length: MAX_SYMBOL_SERIES + 5 },
      (_, i) =>
        [
          `chart_S${String(i).padStart(3, '0')}`,
          { price: i + 0.5, position_size: i === 1 ? 2 : 0, position_price: 0.25 },
        ] as const,
    ),
  );
  writer.symbol('AAA"Q\\X', { price: 1 }); // sorts first: its label must be escaped
  writer.heartbeat();
  writer.close();
  const { app, pollers, monitoring } = appOver([{ name: 'main', path }], {}, [
    '--alert',
    'memory=0',
    '--alert',
    'memory.for=0',
  ]);
  pollers[0]?.tick();
  await monitoring.host.sampleNow();
  await monitoring.host.sampleNow(); // the second has a CPU rate; memory=0 has fired already
  await request(app).get('/api/v1/state').expect(200);
  const res = await request(app)
    .get('/metrics')
    .expect(200)
    .expect('content-type', /text\/plain/);
  return res.text;
}

describe('/metrics', () => {
  it('exposes engine, account, symbol, poll and HTTP metrics with capped symbol series', async () => {
    const text = await scrape();
    expect(text).toMatch(/^tradewatch_engine_up\{engine="main"\} 1$/m);
    expect(text).toMatch(/^tradewatch_account_equity\{engine="main"\} 9500$/m);
    expect(text).toMatch(
      /^tradewatch_engine_last_update_timestamp_seconds\{engine="main"\} \d{10}\.?\d*$/m,
    );
    expect(text).toMatch(
      /^tradewatch_engine_last_change_timestamp_seconds\{engine="main"\} \d{10}\.?\d*$/m,
    );
    expect(text).toMatch(
      /^tradewatch_position_unrealized_pnl\{engine="main",symbol="S001"\} 2\.5$/m,
    );
    expect(text).toMatch(/^tradewatch_poll_duration_seconds_count\{engine="main"\} 1$/m);
    expect(text).toMatch(
      /^tradewatch_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/state",status="200"\} 1$/m,
    );
    expect(text.match(/^tradewatch_symbol_price\{/gm)).toHaveLength(MAX_SYMBOL_SERIES);
    expect(text).toContain(`tradewatch_symbol_price{engine="main",symbol="AAA\\"Q\\\\X"} 1`);
    expect(text).toMatch(/^tradewatch_symbol_series_dropped\{engine="main"\} 6$/m);
    expect(text).toMatch(/^process_cpu_seconds_total /m); // default metrics kept
  });

  it('exposes firing alerts by level, host metrics and the outbox', async () => {
    const text = await scrape();
    expect(text).toMatch(/^tradewatch_alerts_firing\{level="WARNING"\} 1$/m);
    expect(text).toMatch(/^tradewatch_alerts_firing\{level="CRITICAL"\} 0$/m);
    expect(text).toMatch(/^tradewatch_host_cpu_percent \d/m);
    expect(text).toMatch(/^tradewatch_host_memory_used_percent \d/m);
    expect(text).toMatch(/^tradewatch_host_disk_used_percent\{mount="\/[^"]*"\} \d/m);
    expect(text).toMatch(/^tradewatch_notifications_pending 0$/m);
  });

  it.runIf(hasBinary('promtool'))(
    'passes promtool check metrics, Node defaults included',
    async () => {
      const text = await scrape();
      expect(text).toMatch(/^# TYPE nodejs_active_handles gauge$/m);
      expect(text).toMatch(/^# TYPE process_cpu_seconds_total counter$/m);
      const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
      expect(result.stdout + result.stderr).toBe('');
      expect(result.status).toBe(0);
    },
  );
});

describe('shipped Prometheus and Grafana files', () => {
  /**
   * Every tradewatch_* metric a PromQL text refers to (histogram suffixes removed); recorded
   * series (`instance:tradewatch_x:sum`) are defined by the rules themselves and left out.
   */
  const referenced = (text: string) =>
    new Set(
      [...text.matchAll(/(?<![:\w])tradewatch_[a-z0-9_]+/g)].map((m) =>
        m[0].replace(/_(bucket|count|sum)$/, ''),
      ),
    );
  const exposed = async () =>
    new Set([...(await scrape()).matchAll(/^# TYPE (tradewatch_\S+)/gm)].map((m) => m[1]));

  it('refer only to metrics /metrics exposes', async () => {
    const names = await exposed();
    const dashboard = JSON.parse(
      readFileSync(join(ROOT, 'docs/grafana-dashboard.json'), 'utf8'),
    ) as {
      panels: Array<{ targets: Array<{ expr: string }> }>;
    };
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)).join('\n');
    const rules = readFileSync(join(ROOT, 'docs/prometheus-rules.yml'), 'utf8');
    for (const name of [...referenced(exprs), ...referenced(rules)])
      expect(names, name).toContain(name);
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(10);
  });

  it.runIf(hasBinary('promtool'))('pass promtool check rules', () => {
    const result = spawnSync(
      'promtool',
      ['check', 'rules', join(ROOT, 'docs/prometheus-rules.yml')],
      {
        encoding: 'utf8',
      },
    );
    expect(result.stdout).toMatch(/SUCCESS: \d+ rules found/);
    expect(result.status).toBe(0);
  });
});
