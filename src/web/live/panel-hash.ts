import { createHash } from 'node:crypto';

/**
 * A short digest of a panel's HTML. A page carries the digests of the panels it was rendered
 * with, and stream events carry theirs, so a tab skips re-drawing a panel it already shows: on
 * joining the stream every tab is sent all its panels, and twenty tabs opened at once re-drew
 * them all for nothing.
 *
 * @example panelHash('<p>1.0850</p>') // → 16 characters of base64url, the same for the same HTML
 */
export function panelHash(html: string): string {
  return createHash('sha1').update(html).digest('base64url').slice(0, 16);
}

/** The `data-panel-hashes` attribute's value for a page's rendered panels. */
export function panelHashes(panels: Readonly<Record<string, string>>): string {
  return JSON.stringify(
    Object.fromEntries(Object.entries(panels).map(([name, html]) => [name, panelHash(html)])),
  );
}
