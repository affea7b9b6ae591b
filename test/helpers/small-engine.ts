import { StateWriter } from '../../src/state/index.js';
import { freshDbPath } from './tmp.js';

/** A small engine file for access and hostile-input tests: running, with an account. */
export function smallEngineDb(): string {
  const path = freshDbPath();
  const writer = StateWriter.open(path, { strict: true });
  writer.heartbeat({ status: 'running' });
  writer.summary({ equity: 123_456, currency: 'USD' });
  writer.close();
  return path;
}

/** An `Authorization: Basic` header value. */
export const basicAuth = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
