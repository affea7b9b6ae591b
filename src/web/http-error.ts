import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';

/** An error with an HTTP status and a stable machine-readable code. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Every API error has one shape: `{ "error": { "code", "message" } }`. */
export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'not_found', `no such endpoint: ${req.method} ${req.path}`));
};

const TITLES: Record<number, string> = { 400: 'Bad request', 404: 'Not found', 500: 'Error' };

/**
 * Sends an error as a page to a browser (one that prefers HTML) and as
 * `{ "error": { "code", "message" } }` to everything else (curl, fetch, API clients).
 */
function sendError(req: Request, res: Response, status: number, code: string, message: string) {
  res.status(status);
  if (req.accepts(['json', 'html']) !== 'html') {
    res.json(errorBody(code, message));
    return;
  }
  const title = TITLES[status] ?? (status < 500 ? 'Bad request' : 'Error');
  res.setHeader('Cache-Control', 'no-store');
  res.render(
    'pages/error',
    {
      page: 'error',
      engine: '',
      banner: null,
      meta: { title: `${title} · tradewatch`, state: 'none', positions: 0 },
      status,
      title,
      code,
      message,
    },
    (renderError: unknown, html: string) => {
      if (renderError) res.json(errorBody(code, message));
      else res.type('html').send(html);
    },
  );
}

export function errorHandler(log: (error: unknown) => void): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (error instanceof HttpError) {
      sendError(req, res, error.status, error.code, error.message);
      return;
    }
    // body-parser and friends set `status`; anything else is our bug.
    const status =
      typeof error?.status === 'number' && error.status >= 400 && error.status < 500
        ? error.status
        : 500;
    if (status === 500) log(error);
    sendError(
      req,
      res,
      status,
      status === 500 ? 'internal' : 'bad_request',
      status === 500 ? 'internal error; see the server log' : String(error.message),
    );
  };
}
