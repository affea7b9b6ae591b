import type { Request, Response } from 'express';
import type { Snapshot } from '../../reader/types.js';
import type { EngineDirectory, EngineView } from '../types.js';
import { fleetMeta } from './fleet-meta.js';
import { PAGES, type PageKind } from './panels.js';
import type { PanelRenderer } from './renderer.js';

/**
 * A client still this far behind when the next push comes is dropped: it reconnects when it can
 * read again. (Twice the last push, if that was bigger: one push of a huge engine is not a sign
 * of a client that stopped reading.)
 */
export const MAX_BUFFERED_BYTES = 1024 * 1024;
const KEEP_ALIVE_MS = 15_000;
/** /fleet pages get at most one push per this long: 50 engines writing each second cost one render, not 50. */
const FLEET_PUSH_MS = 250;

interface Client {
  res: Response;
  engine: string;
  page: PageKind;
  symbol: string | null;
  /** The last HTML sent per panel: only panels whose HTML changed are pushed. */
  sent: Map<string, string>;
  /** Bytes written by the last push, for the bound on what may stay unread. */
  lastPushBytes: number;
  /** Chart series this page draws (exact names, or prefixes ending in ':'). */
  series: string[];
  /** Whose series: the engine's, or the host's (HOST_OWNER) on /system. */
  pointsFrom: string;
}

/** Counts shown as badges in the top bar on every page. */
export interface Badges {
  /** Firing alerts. */
  alerts: number;
  /** ERROR and CRITICAL lines among the latest lines of the configured logs. */
  logErrors: number;
}

/** One SSE event, every line of its data prefixed with `data: `. */
function encodeFrame(event: string, data: string): Buffer {
  return Buffer.from(`event: ${event}\ndata: ${data.replace(/\r?\n/g, '\ndata: ')}\n\n`);
}

/** Starts a Server-Sent Events response: no caching, no proxy buffering, reconnect after 2 s. */
export function openEventStream(res: Response): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write('retry: 2000\n\n');
}

/** The title, favicon state and top-bar badges pushed with every change. */
export function pageMeta(s: Snapshot, page: PageKind, symbol: string | null, badges: Badges) {
  const stale = s.state !== 'live';
  const what = page === 'symbol' ? (symbol ?? '') : page === 'state' ? 'state' : s.engine;
  const prefix = stale
    ? `⚠ ${s.state.toUpperCase()} · `
    : s.positions.length
      ? `(${s.positions.length}) `
      : '';
  return {
    title: `${prefix}${what} · tradewatch`,
    state: s.state,
    positions: s.positions.length,
    ...badges,
  };
}

/**
 * One Server-Sent Events stream per open page. On every new snapshot each panel is rendered
 * once (PanelRenderer) and pushed only to clients whose copy differs; chart points and the
 * title follow as `points` and `meta` events. Comments keep idle connections open through
 * proxies; a client that stops reading is dropped before its buffer grows past 1 MiB.
 */
export class SseHub {
  private readonly clients = new Set<Client>();
  /**
   * Each panel's last SSE frame, encoded once for every client showing it: a push to 100 pages
   * writes one Buffer 100 times instead of escaping and encoding the same HTML 100 times.
   */
  private readonly frames = new Map<string, { html: string; frame: Buffer }>();
  private readonly timer: NodeJS.Timeout;
  private fleetTimer: NodeJS.Timeout | null = null;
  dropped = 0;

  constructor(
    private readonly renderer: PanelRenderer,
    private readonly engines: EngineDirectory,
    private readonly badges: () => Badges,
  ) {
    this.timer = setInterval(() => {
      for (const client of this.clients)
        if (this.keepUp(client)) this.write(client, ': keep-alive\n\n');
    }, KEEP_ALIVE_MS);
    this.timer.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  attach(
    req: Request,
    res: Response,
    engine: EngineView,
    page: PageKind,
    symbol: string | null,
    series: string[],
    pointsFrom: string = engine.name,
  ): void {
    openEventStream(res);
    const client: Client = {
      res,
      engine: engine.name,
      page,
      symbol,
      sent: new Map(),
      lastPushBytes: 0,
      series,
      pointsFrom,
    };
    this.clients.add(client);
    req.on('close', () => this.clients.delete(client));
    this.push(client, engine.snapshot, engine);
  }

  /** A new snapshot for an engine, and the chart points sampled from it. */
  publish(snapshot: Snapshot, points: ReadonlyArray<readonly [string, number]>): void {
    const engine = this.engines.get(snapshot.engine);
    if (!engine) return;
    const badges = this.badges();
    for (const client of this.clients)
      if (client.engine === snapshot.engine && client.page !== 'fleet')
        this.push(client, snapshot, engine, badges);
    this.queueFleetPush();
    this.publishPoints(snapshot.engine, snapshot.builtAtMs, points);
  }

  /** Chart points of an owner (an engine, or the host) to the pages that draw them. */
  publishPoints(
    owner: string,
    atMs: number,
    points: ReadonlyArray<readonly [string, number]>,
  ): void {
    for (const client of this.clients) {
      if (client.pointsFrom !== owner) continue;
      const mine = points.filter(([name]) =>
        client.series.some((s) => (s.endsWith(':') ? name.startsWith(s) : name === s)),
      );
      if (mine.length)
        this.send(client, 'points', JSON.stringify({ t: atMs, v: Object.fromEntries(mine) }));
    }
  }

  /** Alerts or host values changed: every page gets the panels whose HTML changed. */
  refresh(): void {
    const badges = this.badges();
    for (const client of this.clients) {
      const engine = this.engines.get(client.engine);
      if (engine) this.push(client, engine.snapshot, engine, badges);
    }
  }

  /** Pushes to /fleet pages once the burst of snapshots of several engines is over. */
  private queueFleetPush(): void {
    if (this.fleetTimer) return;
    if (![...this.clients].some((c) => c.page === 'fleet')) return;
    this.fleetTimer = setTimeout(() => {
      this.fleetTimer = null;
      const badges = this.badges();
      for (const client of this.clients) {
        const engine = client.page === 'fleet' ? this.engines.get(client.engine) : undefined;
        if (engine) this.push(client, engine.snapshot, engine, badges);
      }
    }, FLEET_PUSH_MS);
    this.fleetTimer.unref();
  }

  close(): void {
    clearInterval(this.timer);
    if (this.fleetTimer) clearTimeout(this.fleetTimer);
    for (const client of this.clients) client.res.end();
    this.clients.clear();
  }

  /** `badges` are computed once per round of pushes, not once per client. */
  private push(
    client: Client,
    snapshot: Snapshot,
    engine: EngineView,
    badges: Badges = this.badges(),
  ): void {
    if (!this.keepUp(client)) return;
    const before = client.res.writableLength;
    let written = 0;
    for (const panel of PAGES[client.page]) {
      const html = this.renderer.render(snapshot, panel, engine, client.symbol);
      if (client.sent.get(panel.name) === html) continue;
      client.sent.set(panel.name, html);
      written += this.writeFrame(client, this.frameOf(client, panel.name, html));
    }
    const meta =
      client.page === 'fleet'
        ? fleetMeta(this.engines.list(), badges)
        : pageMeta(snapshot, client.page, client.symbol, badges);
    written += this.send(client, 'meta', JSON.stringify(meta));
    client.lastPushBytes = Math.max(written, client.res.writableLength - before);
  }

  /** Drops a client that has not read what earlier pushes sent; false if it was dropped. */
  private keepUp(client: Client): boolean {
    if (!this.clients.has(client)) return false;
    const bound = Math.max(MAX_BUFFERED_BYTES, 2 * client.lastPushBytes);
    if (client.res.writableLength <= bound) return true;
    this.clients.delete(client);
    this.dropped++;
    client.res.destroy();
    return false;
  }

  private frameOf(client: Client, event: string, html: string): Buffer {
    const key = `${client.engine}|${client.page}|${client.symbol ?? ''}|${event}`;
    const cached = this.frames.get(key);
    if (cached?.html === html) return cached.frame;
    const frame = encodeFrame(event, html);
    this.frames.set(key, { html, frame });
    return frame;
  }

  /** Writes one event; returns its size in bytes (0 when the client is gone). */
  private send(client: Client, event: string, data: string): number {
    return this.writeFrame(client, encodeFrame(event, data));
  }

  private writeFrame(client: Client, frame: Buffer): number {
    if (!this.clients.has(client)) return 0;
    client.res.write(frame);
    return frame.length;
  }

  private write(client: Client, text: string): void {
    if (this.clients.has(client)) client.res.write(text);
  }
}
