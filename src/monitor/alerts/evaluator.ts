import type { Snapshot } from '../../reader/types.js';
import type { HostSample } from '../host/sampler.js';
import { evaluateEngine } from './evaluate-engine.js';
import { evaluateHost } from './evaluate-host.js';
import type { AlertManager } from './manager.js';

/**
 * Feeds the alert manager: every snapshot and every host sample is evaluated against the rules.
 * Remembers what the rules need across evaluations: which engines were ever read (a database
 * that vanishes afterwards alerts; one that never existed yet does not), and which snapshots'
 * journal events were already seen (re-evaluating a snapshot must not raise its alerts again).
 */
export class AlertEvaluator {
  private readonly everRead = new Set<string>();
  private readonly eventsSeen = new WeakSet<Snapshot>();

  constructor(private readonly manager: AlertManager) {}

  snapshot(s: Snapshot, nowMs = Date.now()): void {
    if (s.state !== 'waiting') this.everRead.add(s.engine);
    const freshEvents = !this.eventsSeen.has(s);
    this.eventsSeen.add(s);
    const { scope, observations, muted } = evaluateEngine(s, {
      rules: this.manager.rules,
      isActive: this.manager.isActive,
      activeEngineAlerts: this.manager.activeFor('engine-alert', s.engine),
      everRead: this.everRead.has(s.engine),
      freshEvents,
      nowMs,
    });
    this.manager.setMuted(s.engine, muted);
    this.manager.observe(scope, observations, nowMs);
  }

  host(sample: HostSample): void {
    const { scope, observations } = evaluateHost(sample, this.manager.rules, this.manager.isActive);
    this.manager.observe(scope, observations, sample.atMs);
  }
}
