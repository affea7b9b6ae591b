import type { Request, Response } from 'express';
import type { Snapshot } from '../../reader/types.js';
import type { EngineDirectory, EngineView } from '../types.js';
import { fleetMeta } from './fleet-meta.js';
import { encodeFrame, openEventStream } from './frames.js';
import { panelHash } from './panel-hash.js';
import { PAGES, type PageKind } from './panels.js';
import type { PanelRenderer } from './renderer.js';
import type { StreamSubscription } from './subscriptions.js';

/**
 * A client still this far behind when the next push comes is dropped: it reconnects when it can
 * read again. (Twice the last push, if that was bigger: one push of a huge engine is not a sign
 * of a client that stopped reading.)
 */
export const MAX_BUFFERED_BYTES = 1024 * 1024;
const KEEP_ALIVE_MS = 15_000;
/** Cached frames are keyed by page and symbol (client-chosen): past this many, start again. */
const MAX_CACHED_FRAMES = 10_000;
/** /fleet pages get at most one push per this long: 50 engines writing each second cost one render, not 50. */
const FLEET_PUSH_MS = 250;

interface Subscription extends StreamSubscription {
  /** The last HTML sent per panel: only panels whose HTML changed are pushed. */
  sent: Map<string, string>;
}

interface Client {
  res: Response;
  subs: Subscription[];
  /** Bytes written by the last push, for the bound on what may stay unread. */
  lastPushBytes: number;
}

/** Counts shown as badges in the top bar on every page. */
export interface Badges {
  /** Firing alerts. */
  alerts: number;
  /** ERROR and CRITICAL lines among the latest lines of the configured logs. */
  logErrors: number;
}

/** Tab titles of the pages that are not about one engine or symbol. */
const PAGE_TITLES = {
  state: 'State',
  system: 'System',
  alerts: 'Alerts',
  logs: 'Logs',
  fleet: 'Fleet',
} as const;

/** The title, favicon state and top-bar badges pushed with every change. */
export function pageMeta(s: Snapshot, page: PageKind, symbol: string | null, badges: Badges) {
  const stale = s.state !== 'live';
  const what = page === 'symbol' ? (symbol ?? '') : page === 'live' ? s.engine : PAGE_TITLES[page];
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

/** One round of pushes (a snapshot, or a refresh): what is the same for every client in it. */
interface Round {
  badges: Badges;
  /** Meta frames by page: 500 clients of one page share one encoded frame. */
  meta: Map<string, Buffer>;
}

/** Where a page's frame of `event` is cached: by page and symbol, or by shared-stream tag. */
const frameKey = (sub: StreamSubscription, event: string) =>
  sub.tag === null
    ? `page|${sub.engine}|${sub.page}|${sub.symbol ?? ''}|${event}`
    : `tag|${sub.tag}|${event}`;

/** A JSON event; on a shared stream it carries the page's tag as `s`. */
function jsonFrame(sub: Subscription, event: string, body: object): Buffer {
  return encodeFrame(event, JSON.stringify(sub.tag === null ? body : { s: sub.tag, ...body }));
}

/**
 * Server-Sent Events streams: one per page, or one per browser shared by its tabs (each tab a
 * subscription tagged with its page and query). On every new snapshot each panel is rendered
 * once (PanelRenderer) and pushed only to subscriptions whose copy differs; chart points and
 * the title follow as `points` and `meta` events. Comments keep idle connections open through
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
    /** The poll interval: pages call themselves offline after two of them without the dashboard. */
    readonly pollMs = 1000,
  ) {
    this.timer = setInterval(() => {
      for (const client of this.clients)
        if (this.keepUp(client)) this.write(client, ': keep-alive\n\n');
    }, KEEP_ALIVE_MS);
    this.timer.unref();
  }

  /** Open streams (one per browser when its tabs share one). */
  get size(): number {
    return this.clients.size;
  }

  attach(req: Request, res: Response, subs: StreamSubscription[]): void {
    openEventStream(res);
    const client: Client = {
      res,
      subs: subs.map((s) => ({ ...s, sent: new Map() })),
      lastPushBytes: 0,
    };
    this.clients.add(client);
    req.on('close', () => this.clients.delete(client));
    this.push(client, null);
  }

  /** A new snapshot for an engine, and the chart points sampled from it. */
  publish(snapshot: Snapshot, points: ReadonlyArray<readonly [string, number]>): void {
    const round = this.round();
    for (const client of this.clients) this.push(client, snapshot, round);
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
      for (const sub of client.subs) {
        if (sub.pointsFrom !== owner) continue;
        const mine = points.filter(([name]) =>
          sub.series.some((s) => (s.endsWith(':') ? name.startsWith(s) : name === s)),
        );
        if (mine.length)
          this.writeFrame(
            client,
            jsonFrame(sub, 'points', { t: atMs, v: Object.fromEntries(mine) }),
          );
      }
    }
  }

  /** Alerts or host values changed: every page gets the panels whose HTML changed. */
  refresh(): void {
    const round = this.round();
    for (const client of this.clients) this.push(client, null, round);
  }

  /** Pushes to /fleet pages once a burst of snapshots of several engines is over. */
  private queueFleetPush(): void {
    if (this.fleetTimer) return;
    if (![...this.clients].some((c) => c.subs.some((sub) => sub.page === 'fleet'))) return;
    this.fleetTimer = setTimeout(() => {
      this.fleetTimer = null;
      const round = this.round();
      for (const client of this.clients) {
        if (!this.keepUp(client)) continue;
        for (const sub of client.subs) {
          const engine = sub.page === 'fleet' ? this.engines.get(sub.engine) : undefined;
          if (engine) this.pushPage(client, sub, engine.snapshot, engine, round);
        }
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

  /**
   * Pushes what changed to the client's pages of `snapshot`'s engine, or to all its pages with
   * their engines' current snapshots (null).
   */
  private push(client: Client, snapshot: Snapshot | null, round = this.round()): void {
    if (!this.keepUp(client)) return;
    const before = client.res.writableLength;
    let written = 0;
    for (const sub of client.subs) {
      // A fleet page follows every engine: queueFleetPush serves it, once per burst.
      if (snapshot && (sub.engine !== snapshot.engine || sub.page === 'fleet')) continue;
      const engine = this.engines.get(sub.engine);
      if (engine) written += this.pushPage(client, sub, snapshot ?? engine.snapshot, engine, round);
    }
    client.lastPushBytes = Math.max(written, client.res.writableLength - before);
  }

  private pushPage(
    client: Client,
    sub: Subscription,
    snapshot: Snapshot,
    engine: EngineView,
    round: Round,
  ): number {
    let written = 0;
    for (const panel of PAGES[sub.page]) {
      const html = this.renderer.render(snapshot, panel, engine, sub.symbol);
      if (sub.sent.get(panel.name) === html) continue;
      sub.sent.set(panel.name, html);
      written += this.writeFrame(client, this.frameOf(sub, panel.name, html));
    }
    const key = frameKey(sub, 'meta');
    let meta = round.meta.get(key);
    if (!meta) {
      const value =
        sub.page === 'fleet'
          ? fleetMeta(this.engines.list(), round.badges)
          : pageMeta(snapshot, sub.page, sub.symbol, round.badges);
      meta = jsonFrame(sub, 'meta', value);
      round.meta.set(key, meta);
    }
    return written + this.writeFrame(client, meta);
  }

  /** Badges are computed once per round of pushes, not once per client. */
  private round(): Round {
    return { badges: this.badges(), meta: new Map() };
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

  private frameOf(sub: Subscription, panel: string, html: string): Buffer {
    const key = frameKey(sub, panel);
    const cached = this.frames.get(key);
    if (cached?.html === html) return cached.frame;
    const frame =
      sub.tag === null
        ? encodeFrame(panel, html)
        : encodeFrame(
            'panel',
            JSON.stringify({ s: sub.tag, p: panel, h: html, k: panelHash(html) }),
          );
    if (this.frames.size >= MAX_CACHED_FRAMES) this.frames.clear();
    this.frames.set(key, { html, frame });
    return frame;
  }

  /** Writes one event; returns its size in bytes (0 when the client is gone). */
  private writeFrame(client: Client, frame: Buffer): number {
    if (!this.clients.has(client)) return 0;
    client.res.write(frame);
    return frame.length;
  }

  private write(client: Client, text: string): void {
    if (this.clients.has(client)) client.res.write(text);
  }
}
