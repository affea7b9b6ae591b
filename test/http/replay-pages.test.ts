import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { threeMoments } from '../helpers/replay.js';

const iso = (ms: number) => new Date(ms).toISOString();
/** The visible text of a page, tags dropped and spaces collapsed. */
const text = (html: string) =>
  html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');

describe('pages with ?at=', () => {
  it('/live?at= shows that moment: the open position with its SL/TP, a REPLAY header and title, no live stream', async () => {
    const { app, t0 } = await threeMoments();
    const res = await request(app)
      .get(`/live?at=${iso(t0 + 2500)}`)
      .expect(200);
    expect(res.text).toMatch(/<title>REPLAY \d{4}-\d\d-\d\d \d\d:\d\d:\d\d · /);
    expect(res.text).toContain('id="replay-badge"');
    // No live-root: the page joins no live stream and polls no live panel.
    expect(res.text).not.toContain('id="live-root"');
    const positions = text(res.text.split('id="panel-positions"')[1]?.split('</section>')[0] ?? '');
    expect(positions).toContain('EURUSD');
    expect(positions).toContain('1.09');
    expect(positions).toContain('1.12');
    const trades = text(res.text.split('id="panel-trades"')[1]?.split('</section>')[0] ?? '');
    expect(trades).not.toContain('EURUSD');
  });

  it('with --clock 12h the REPLAY label and the times on a replayed page read 12-hour, as live', async () => {
    const { app, t0 } = await threeMoments(['--clock', '12h']);
    const res = await request(app)
      .get(`/live?at=${iso(t0 + 2500)}`)
      .expect(200);
    expect(res.text).toMatch(/<title>REPLAY \d{4}-\d\d-\d\d \d{1,2}:\d\d:\d\d [ap]m · /);
    const header = res.text.split('id="panel-header"')[1]?.split('</section>')[0] ?? '';
    expect(header).toMatch(/title="\d{1,2}:\d\d:\d\d [ap]m"/);
  });

  it('/live?at= after the trade shows it in the trades, no open position, and the later account', async () => {
    const { app, t0 } = await threeMoments();
    const res = await request(app)
      .get(`/live?at=${iso(t0 + 5000)}`)
      .expect(200);
    const positions = text(res.text.split('id="panel-positions"')[1]?.split('</section>')[0] ?? '');
    expect(positions).not.toContain('1.09');
    const trades = text(res.text.split('id="panel-trades"')[1]?.split('</section>')[0] ?? '');
    expect(trades).toContain('EURUSD');
    const account = text(res.text.split('id="panel-account"')[1]?.split('</section>')[0] ?? '');
    expect(account).toContain('10,020');
  });

  it('every page takes ?at= and has the time bar; the live page has the time bar without REPLAY', async () => {
    const { app, t0 } = await threeMoments();
    for (const path of ['/live', '/live/symbol/EURUSD', '/state', '/system', '/alerts', '/logs']) {
      const res = await request(app)
        .get(`${path}?at=${iso(t0 + 2500)}`)
        .expect(200);
      expect(res.text).toContain('id="timebar"');
      expect(res.text).toContain('REPLAY');
    }
    const live = await request(app).get('/live').expect(200);
    expect(live.text).toContain('id="timebar"');
    expect(live.text).not.toContain('id="replay-badge"');
    expect(live.text).toContain('id="live-root"');
  });

  it('?panels=json gives the panels of the moment as in its page, with title and label; without ?at= or another value it is a 400', async () => {
    const { app, t0 } = await threeMoments();
    const at = iso(t0 + 2500);
    const page = await request(app).get(`/live?at=${at}`).expect(200);
    const res = await request(app).get(`/live?at=${at}&panels=json`).expect(200);
    expect(res.body.title).toMatch(/^REPLAY \d{4}-\d\d-\d\d \d\d:\d\d:\d\d · /);
    expect(page.text).toContain(`<title>${res.body.title}</title>`);
    expect(res.body.replay.atIso).toBe(at);
    expect(text(res.body.panels.positions)).toContain('1.09');
    for (const [name, html] of Object.entries(res.body.panels as Record<string, string>))
      expect(page.text, name).toContain(html);
    await request(app).get('/live?panels=json').expect(400);
    await request(app).get(`/live?at=${at}&panels=html`).expect(400);
  });

  it('a page for a moment outside the recorded window is a 404 naming the window; a malformed one a 400', async () => {
    const { app, t0 } = await threeMoments();
    const res = await request(app)
      .get(`/live?at=${iso(t0 - 60_000)}`)
      .expect(404);
    expect(JSON.stringify(res.body)).toContain('recorded window');
    await request(app).get('/state?at=not-a-time').expect(400);
  });

  it('the alerts panel at a moment shows the alerts active then, from the stored lifecycle', async () => {
    const { app, t0, monitoring } = await threeMoments();
    const scope = { engine: 'main', rules: ['broker' as const] };
    const down = {
      rule: 'broker' as const,
      engine: 'main',
      subject: 'broker',
      value: null,
      message: 'broker disconnected from replay-test',
    };
    monitoring.alerts.observe(scope, [down], t0 + 2000);
    monitoring.alerts.observe(scope, [], t0 + 4000);
    const alertsAt = async (ms: number) => {
      const res = await request(app)
        .get(`/live?at=${iso(ms)}`)
        .expect(200);
      return text(res.text.split('id="panel-alerts"')[1]?.split('</section>')[0] ?? '');
    };
    expect(await alertsAt(t0 + 1000)).not.toContain('replay-test');
    expect(await alertsAt(t0 + 3000)).toContain('broker disconnected from replay-test');
    expect(await alertsAt(t0 + 4500)).not.toContain('replay-test');
    // Live, it is resolved: replay changed nothing.
    expect(monitoring.alerts.active().filter((a) => a.rule === 'broker')).toEqual([]);
  });
});
