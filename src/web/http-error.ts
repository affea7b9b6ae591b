import type { ErrorRequestHandler, RequestHandler } from 'express';

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

export function errorHandler(log: (error: unknown) => void): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    if (error instanceof HttpError) {
      res.status(error.status).json(errorBody(error.code, error.message));
      return;
    }
    // body-parser and friends set `status`; anything else is our bug.
    const status =
      typeof error?.status === 'number' && error.status >= 400 && error.status < 500
        ? error.status
        : 500;
    if (status === 500) log(error);
    res
      .status(status)
      .json(
        errorBody(
          status === 500 ? 'internal' : 'bad_request',
          status === 500 ? 'internal error; see the server log' : String(error.message),
        ),
      );
  };
}
