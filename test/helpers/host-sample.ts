import type { HostSample } from '../../src/monitor/host/sampler.js';

/** A host sample with chosen values (the rest plausible), for rule tests. */
export function hostSample(
  atMs: number,
  values: { cpu?: number | null; memory?: number; disks?: Record<string, number> } = {},
): HostSample {
  const total = 16 * 1024 ** 3;
  const memory = values.memory ?? 40;
  return {
    atMs,
    cpuPct: values.cpu === undefined ? 10 : values.cpu,
    load: [0.5, 0.4, 0.3],
    memory: {
      totalBytes: total,
      usedBytes: (total * memory) / 100,
      availableBytes: total - (total * memory) / 100,
      usedPct: memory,
    },
    disks: Object.entries(values.disks ?? { '/': 50 }).map(([mount, usedPct]) => ({
      mount,
      fs: '/dev/test',
      sizeBytes: 100e9,
      usedBytes: usedPct * 1e9,
      usedPct,
    })),
    network: { iface: 'eth0', rxBytesPerSec: 1000, txBytesPerSec: 500 },
    engines: [],
    errors: [],
  };
}
