import { constants } from 'node:fs';
import { type FileHandle, open, readlink, realpath } from 'node:fs/promises';
import { dirname, sep } from 'node:path';
import { LogTailError } from '../contract/log-tail-error.js';

/** What a file is, in words, when it is not a regular file. */
function kind(info: Awaited<ReturnType<FileHandle['stat']>>): string {
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isDirectory()) return 'a directory';
  return 'not a regular file';
}

/** The path the open file really is: the kernel's answer (Linux), else realpath. */
async function pathOfOpen(handle: FileHandle, path: string): Promise<string> {
  try {
    return await readlink(`/proc/self/fd/${handle.fd}`);
  } catch {
    return realpath(path);
  }
}

/**
 * Opens a configured log for reading, refusing what must not be read: anything but a regular
 * file (a FIFO would block the reading thread until a writer appears: the viewer, the error
 * badge and shutdown would hang), and a symlink to a file outside the log's configured directory
 * (`app.log -> /etc/shadow`). The open is non-blocking, and the checks are made on the opened
 * file itself, so swapping the path between a check and the open changes nothing.
 *
 * @example const { handle, size } = await openLog('/var/log/engine/app.log');
 */
export async function openLog(path: string): Promise<{ handle: FileHandle; size: number }> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new LogTailError('missing', `log file ${path} does not exist (yet)`);
    throw new LogTailError(
      'unreadable',
      `log file ${path} cannot be read: ${code ?? (error as Error).message}`,
    );
  }
  try {
    const info = await handle.stat();
    if (!info.isFile())
      throw new LogTailError(
        'refused',
        `log file ${path} is ${kind(info)}, not a regular file; refused`,
      );
    const [real, dir] = await Promise.all([pathOfOpen(handle, path), realpath(dirname(path))]);
    if (!real.startsWith(dir.endsWith(sep) ? dir : `${dir}${sep}`))
      throw new LogTailError(
        'refused',
        `log file ${path} is a link to ${real}, outside its directory ${dir}; refused`,
      );
    return { handle, size: info.size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
