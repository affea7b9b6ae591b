import type { Response } from 'express';
import type { Snapshot } from '../reader/types.js';
import { apiNumbers } from './api-json.js';

/**
 * Serialises each response body once per snapshot version (and at most once a second, so the
 * ages in it stay current), however many clients ask. Clients that send the ETag back get 304.
 */
const cache = new WeakMap<Snapshot, Map<string, { second: number; body: string; etag: string }>>();

export function sendSnapshotJson(
  res: Response,
  snapshot: Snapshot,
  kind: string,
  ifNoneMatch: string | undefined,
  build: (nowMs: number) => unknown,
): void {
  const nowMs = Date.now();
  const second = Math.floor(nowMs / 1000);
  let perKind = cache.get(snapshot);
  if (!perKind) {
    perKind = new Map();
    cache.set(snapshot, perKind);
  }
  let entry = perKind.get(kind);
  if (!entry || entry.second !== second) {
    entry = {
      second,
      body: JSON.stringify(build(nowMs), apiNumbers),
      etag: `W/"${snapshot.engine}-${snapshot.version}-${second}"`,
    };
    perKind.set(kind, entry);
  }
  res.setHeader('ETag', entry.etag);
  res.setHeader('Cache-Control', 'no-cache');
  if (ifNoneMatch === entry.etag) {
    res.status(304).end();
    return;
  }
  res.type('application/json').send(entry.body);
}
