import type { NamedPath } from '../config/parsers.js';
import { LogTailError } from '../contract/log-tail-error.js';
import { LogFollower } from '../monitor/log-follow.js';
import { openLog } from '../monitor/log-open.js';
import { tailFile } from '../monitor/log-tail.js';
import type { LogSource } from '../web/types.js';

/**
 * The configured log files behind the log viewer. Only these names exist: a request can name a
 * log, never a path. One follower per file is shared by every page following it.
 */
export function createLogSource(logs: readonly NamedPath[], followIntervalMs = 500): LogSource {
  const paths = new Map(logs.map((l) => [l.name, l.path]));
  const followers = new Map<string, LogFollower>();
  const pathOf = (name: string) => {
    const path = paths.get(name);
    if (path === undefined)
      throw new LogTailError('missing', `no log named ${JSON.stringify(name)}`);
    return path;
  };
  return {
    names: () => [...paths.keys()],
    tail: (name, lines) => tailFile(pathOf(name), lines),
    follow(name, listener) {
      let follower = followers.get(name);
      if (!follower) {
        follower = new LogFollower(pathOf(name), followIntervalMs);
        followers.set(name, follower);
      }
      return follower.subscribe(listener);
    },
    async open(name) {
      const { handle, size } = await openLog(pathOf(name));
      // The stream reads through the handle already open: a rotation now cannot swap the file.
      const stream = handle.createReadStream({
        start: 0,
        end: Math.max(0, size - 1),
        autoClose: true,
      });
      return { stream, size };
    },
  };
}
