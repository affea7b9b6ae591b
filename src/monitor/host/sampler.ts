import { loadavg } from 'node:os';
import si from 'systeminformation';
import { type CpuTimes, cpuPercent, cpuTimes } from './cpu-times.js';
import { readDiskUsage } from './disk-usage.js';
import { type NetCounters, readNetCounters } from './net-counters.js';
import { type ProcessTimes, readProcessTimes } from './process-usage.js';

export interface DiskUsage {
  mount: string;
  fs: string;
  sizeBytes: number;
  usedBytes: number;
  usedPct: number;
}

export interface EngineProcessUsage {
  engine: string;
  pid: number;
  /** % of one core since the previous sample; null on the first sample of this pid. */
  cpuPct: number | null;
  rssBytes: number;
}

/** One reading of the host. Values that could not be read are null, with the reason in `errors`. */
export interface HostSample {
  atMs: number;
  /** All cores, 0–100; null on the very first sample (a rate needs two readings). */
  cpuPct: number | null;
  load: [number, number, number];
  memory: {
    totalBytes: number;
    usedBytes: number;
    availableBytes: number;
    usedPct: number;
  } | null;
  disks: DiskUsage[];
  network: { iface: string; rxBytesPerSec: number | null; txBytesPerSec: number | null } | null;
  /** Engine processes found on this host (by the heartbeat's pid). */
  engines: EngineProcessUsage[];
  errors: string[];
}

export interface HostSamplerOptions {
  /** Mount points to report; empty = every real filesystem. */
  mounts: readonly string[];
  /** The engines' pids as their heartbeats give them. */
  enginePids: () => ReadonlyArray<{ engine: string; pid: number | null }>;
}

/**
 * Samples the host with cheap calls only, none of which starts a process on Linux: os.cpus()
 * deltas for CPU, /proc/meminfo, /proc/mounts + statfs, /proc/net/dev, /proc/<pid>. Rates (CPU, network, process CPU) are
 * deltas from the previous sample, so the first sample has none of them.
 */
export class HostSampler {
  private lastCpu: CpuTimes | null = null;
  private lastNet: (NetCounters & { atMs: number }) | null = null;
  private readonly lastProcess = new Map<number, ProcessTimes & { atMs: number }>();

  constructor(private readonly options: HostSamplerOptions) {}

  async sample(): Promise<HostSample> {
    const atMs = Date.now();
    const errors: string[] = [];
    const guard = <T>(what: string, promise: Promise<T>): Promise<T | null> =>
      promise.catch((error: unknown) => {
        errors.push(`${what}: ${(error as Error)?.message ?? String(error)}`);
        return null;
      });
    const cpu = cpuTimes();
    const cpuPct = this.lastCpu ? cpuPercent(this.lastCpu, cpu) : null;
    this.lastCpu = cpu;
    const [mem, fs, net, engines] = await Promise.all([
      guard('memory', si.mem()),
      guard('disks', readDiskUsage(this.options.mounts)),
      guard('network', readNetCounters()),
      this.engineUsage(atMs),
    ]);
    const [l1 = 0, l5 = 0, l15 = 0] = loadavg();
    return {
      atMs,
      cpuPct,
      load: [l1, l5, l15],
      memory: mem
        ? {
            totalBytes: mem.total,
            availableBytes: mem.available,
            usedBytes: mem.total - mem.available,
            usedPct: mem.total > 0 ? ((mem.total - mem.available) / mem.total) * 100 : 0,
          }
        : null,
      disks: fs
        ? fs.map(({ mount, fs: device, sizeBytes, usedBytes, usedPct }) => ({
            mount,
            fs: device,
            sizeBytes,
            usedBytes,
            usedPct,
          }))
        : [],
      network: net ? this.network(net, atMs) : null,
      engines,
      errors,
    };
  }

  private network(now: NetCounters, atMs: number) {
    const last = this.lastNet;
    this.lastNet = { ...now, atMs };
    if (!last || last.iface !== now.iface || atMs <= last.atMs)
      return { iface: now.iface, rxBytesPerSec: null, txBytesPerSec: null };
    const seconds = (atMs - last.atMs) / 1000;
    // A counter reset (interface restarted) would give a negative rate: report none.
    const rate = (value: number, before: number) =>
      value >= before ? (value - before) / seconds : null;
    return {
      iface: now.iface,
      rxBytesPerSec: rate(now.rx, last.rx),
      txBytesPerSec: rate(now.tx, last.tx),
    };
  }

  private async engineUsage(atMs: number): Promise<EngineProcessUsage[]> {
    const out: EngineProcessUsage[] = [];
    const seen = new Set<number>();
    for (const { engine, pid } of this.options.enginePids()) {
      if (pid === null) continue;
      const now = await readProcessTimes(pid);
      if (!now) continue;
      seen.add(pid);
      const last = this.lastProcess.get(pid);
      this.lastProcess.set(pid, { ...now, atMs });
      const seconds = last ? (atMs - last.atMs) / 1000 : 0;
      const cpuPct =
        last && seconds > 0 && now.cpuSeconds >= last.cpuSeconds
          ? ((now.cpuSeconds - last.cpuSeconds) / seconds) * 100
          : null;
      out.push({ engine, pid, cpuPct, rssBytes: now.rssBytes });
    }
    for (const pid of this.lastProcess.keys()) if (!seen.has(pid)) this.lastProcess.delete(pid);
    return out;
  }
}
