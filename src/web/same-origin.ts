import type { NextFunction, Request, Response } from 'express';
import { HttpError } from './http-error.js';

/**
 * Refuses a state-changing request made by another site (CSRF): browsers send
 * `Sec-Fetch-Site` and `Origin` with a POST, and both must point to this server. Requests
 * without either (curl, scripts) are not cross-site requests made by a browser, so they pass.
 */
export function rejectCrossSite(req: Request, _res: Response, next: NextFunction): void {
  const site = req.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none')
    throw new HttpError(403, 'cross_site', 'cross-site requests cannot change anything here');
  const origin = req.get('origin');
  if (origin && origin !== 'null') {
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      throw new HttpError(403, 'cross_site', 'the Origin header is not a URL');
    }
    if (host !== req.get('host'))
      throw new HttpError(403, 'cross_site', `requests from ${origin} cannot change anything here`);
  } else if (origin === 'null') {
    throw new HttpError(
      403,
      'cross_site',
      'requests from an opaque origin cannot change anything here',
    );
  }
  next();
}
