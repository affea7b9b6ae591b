import { readFile } from 'node:fs/promises';
import si from 'systeminformation';

/** Received and transmitted bytes since boot, summed over the interfaces named. */
export interface NetCounters {
  iface: string;
  rx: number;
  tx: number;
}

/**
 * Network byte counters. On Linux /proc/net/dev is read asynchronously (every interface but
 * loopback, summed): systeminformation's networkStats() finds the default interface with
 * execSync, which blocked the event loop ~6 ms per sample here. Elsewhere it is the fallback.
 */
export async function readNetCounters(): Promise<NetCounters | null> {
  let text: string;
  try {
    text = await readFile('/proc/net/dev', 'utf8');
  } catch {
    const [stats] = await si.networkStats();
    return stats ? { iface: stats.iface, rx: stats.rx_bytes, tx: stats.tx_bytes } : null;
  }
  const names: string[] = [];
  let rx = 0;
  let tx = 0;
  for (const line of text.split('\n').slice(2)) {
    const [name, data] = line.split(':');
    const fields = data?.trim().split(/\s+/).map(Number);
    if (!name || !fields || name.trim() === 'lo') continue;
    names.push(name.trim());
    rx += fields[0] ?? 0;
    tx += fields[8] ?? 0;
  }
  return names.length ? { iface: names.join('+'), rx, tx } : null;
}
