/**
 * Why a log cannot be shown. `refused`: not a regular file, or a symlink leaving its configured
 * directory (the message says which).
 */
export class LogTailError extends Error {
  constructor(
    readonly code: 'missing' | 'unreadable' | 'binary' | 'refused',
    message: string,
  ) {
    super(message);
  }
}
