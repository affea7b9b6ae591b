import type { RuleId, RuleSet } from '../../contract/alert-rules.js';
import type { HostSample } from '../host/sampler.js';
import { hostResolution } from './resolution.js';
import { alertKey, beyond, type Observation, type Scope } from './types.js';

const pct = (value: number) => `${value.toFixed(1)} %`;

/**
 * Host rules over one sample. A metric the sample could not read is left out of the scope, so
 * its alert neither fires nor resolves on missing data.
 */
export function evaluateHost(
  sample: HostSample,
  rules: RuleSet,
  isActive: (key: string) => boolean,
): { scope: Scope; observations: Observation[] } {
  const observations: Observation[] = [];
  const covered: RuleId[] = [];
  const check = (rule: 'cpu' | 'memory' | 'disk', subject: string, value: number, what: string) => {
    const { threshold, clear } = rules[rule];
    if (threshold === null || clear === null) return;
    if (beyond('above', value, threshold, clear, isActive(alertKey(rule, null, subject))))
      observations.push({
        rule,
        engine: null,
        subject,
        value,
        message: `${what} at ${pct(value)} (threshold ${pct(threshold)}, clears below ${pct(clear)})`,
      });
  };
  if (rules.cpu.enabled && sample.cpuPct !== null) {
    covered.push('cpu');
    check('cpu', 'host', sample.cpuPct, 'CPU');
  }
  if (rules.memory.enabled && sample.memory) {
    covered.push('memory');
    check('memory', 'host', sample.memory.usedPct, 'Memory');
  }
  if (rules.disk.enabled && sample.disks.length > 0) {
    covered.push('disk');
    for (const disk of sample.disks) check('disk', disk.mount, disk.usedPct, `Disk ${disk.mount}`);
  }
  return {
    scope: { engine: null, rules: covered, resolvedBy: hostResolution(sample) },
    observations,
  };
}
