import { cpus } from 'node:os';

/** Busy and total CPU milliseconds of all cores since boot. */
export interface CpuTimes {
  busy: number;
  total: number;
}

export function cpuTimes(): CpuTimes {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    const all = times.user + times.nice + times.sys + times.idle + times.irq;
    busy += all - times.idle;
    total += all;
  }
  return { busy, total };
}

/**
 * CPU % between two readings. Why not systeminformation's currentLoad(): its first call waits
 * half a second to get a delta, and since-boot averages would be wrong anyway; our first sample
 * simply has no CPU value.
 */
export function cpuPercent(before: CpuTimes, after: CpuTimes): number | null {
  const total = after.total - before.total;
  if (total <= 0) return null;
  return Math.min(100, Math.max(0, ((after.busy - before.busy) / total) * 100));
}
