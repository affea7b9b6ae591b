import { readFile } from 'node:fs/promises';

/** Clock ticks per second for /proc times: 100 on every mainstream Linux build (USER_HZ). */
const USER_HZ = 100;

/** CPU time and resident memory of one process, read from /proc (Linux only). */
export interface ProcessTimes {
  /** User + system CPU seconds since the process started. */
  cpuSeconds: number;
  rssBytes: number;
}

/**
 * Reads a local process' CPU time and RSS from /proc: two small file reads, no child process.
 * Null when the pid does not exist here (the engine runs on another host, or has exited) or
 * /proc is unavailable (not Linux).
 */
export async function readProcessTimes(pid: number): Promise<ProcessTimes | null> {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    const [stat, status] = await Promise.all([
      readFile(`/proc/${pid}/stat`, 'latin1'),
      readFile(`/proc/${pid}/status`, 'latin1'),
    ]);
    // The command name (field 2) may contain spaces and parentheses: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const rssKb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN);
    if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
    return {
      cpuSeconds: (utime + stime) / USER_HZ,
      rssBytes: Number.isFinite(rssKb) ? rssKb * 1024 : 0,
    };
  } catch {
    return null;
  }
}
