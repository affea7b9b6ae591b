/**
 * Why an engine log file cannot be shown. The monitor throws it; the web layer turns it into
 * a message on the page (404 for `missing`, 403 for `refused`), so both sides share the class.
 * `refused`: not a regular file, or a symlink leaving its configured directory (the message
 * says which).
 *
 * @example
 * throw new LogTailError('missing', 'log file /var/log/engine.log does not exist (yet)');
 */
export class LogTailError extends Error {
  constructor(
    readonly code: 'missing' | 'unreadable' | 'binary' | 'refused',
    message: string,
  ) {
    super(message);
  }
}
