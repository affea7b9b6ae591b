import type { RuleId } from '../../contract/alert-rules.js';
import type { Snapshot } from '../../reader/types.js';
import type { HostSample } from '../host/sampler.js';

/** What resolved an alert, in words, from the values that resolved it (not its last firing value). */
export type Resolution = (rule: RuleId, subject: string) => string;

const money = (value: number, currency: string | null) =>
  `${value.toLocaleString('en-US', { maximumFractionDigits: 2 })}${currency ? ` ${currency}` : ''}`;
const pct = (value: number) => `${value.toFixed(1)} %`;

/** Engine rules: the snapshot that no longer shows the condition says why. */
export function engineResolution(s: Snapshot): Resolution {
  const currency = s.summary?.currency ?? null;
  return (rule, subject) => {
    switch (rule) {
      case 'stale':
        return `engine ${s.engine} is ${s.state} again: ${s.stateReason}`;
      case 'database':
        return `engine ${s.engine}'s database can be read again`;
      case 'clock':
        return `engine ${s.engine}'s timestamps are within a minute of this dashboard's clock again`;
      case 'engine-error':
        return `engine ${s.engine} reports status "${s.heartbeat?.status ?? 'none'}"`;
      case 'broker':
        return `broker ${s.broker?.connected === true ? 'connected again' : 'status no longer says disconnected'}`;
      case 'position-loss': {
        const p = s.positions.find((x) => x.symbol === subject);
        if (!p) return `${subject} position closed`;
        if (p.unrealizedPnl === null)
          return `${subject} P&L is no longer known in the account currency${p.pnl?.currency ? ` (it is in ${p.pnl.currency})` : ''}`;
        return `${subject} P&L is now ${money(p.unrealizedPnl, currency)}`;
      }
      case 'daily-loss': {
        const open = s.positions.reduce((sum, p) => sum + (p.unrealizedPnl ?? 0), 0);
        return `today's P&L is now ${money(s.today.totalPnl + open, currency)} realized + unrealized`;
      }
      case 'margin':
        return `margin level is now ${s.summary?.marginLevel == null ? 'not reported' : `${s.summary.marginLevel.toFixed(0)} %`}`;
      case 'engine-alert':
        return subject.startsWith('message:')
          ? 'the engine did not repeat it (expired)'
          : 'the engine resolved it';
      default:
        return 'the condition no longer holds';
    }
  };
}

/** Host rules: the sample that is back under the clear level says by how much. */
export function hostResolution(sample: HostSample): Resolution {
  return (rule, subject) => {
    if (rule === 'cpu' && sample.cpuPct !== null) return `CPU is now ${pct(sample.cpuPct)}`;
    if (rule === 'memory' && sample.memory) return `memory is now ${pct(sample.memory.usedPct)}`;
    const disk = sample.disks.find((d) => d.mount === subject);
    if (rule === 'disk')
      return disk
        ? `disk ${subject} is now ${pct(disk.usedPct)}`
        : `disk ${subject} is no longer monitored`;
    return 'the condition no longer holds';
  };
}
