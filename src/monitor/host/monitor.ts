import { EventEmitter } from 'node:events';
import type { HostSample, HostSampler } from './sampler.js';

/**
 * Runs the sampler every `intervalMs`: the next sample is scheduled when the previous one has
 * finished, so a slow `df` (a hung network mount) can delay samples but never pile them up.
 */
export class HostMonitor extends EventEmitter<{ sample: [HostSample] }> {
  latest: HostSample | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly sampler: HostSampler,
    readonly intervalMs: number,
    private readonly onError: (error: unknown) => void = () => {},
  ) {
    super();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.loop();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
  }

  /** Takes one sample now and publishes it. */
  async sampleNow(): Promise<HostSample> {
    const sample = await this.sampler.sample();
    this.latest = sample;
    this.emit('sample', sample);
    return sample;
  }

  private async loop(): Promise<void> {
    try {
      await this.sampleNow();
    } catch (error) {
      this.onError(error);
    }
    if (!this.running) return;
    this.timer = setTimeout(() => void this.loop(), this.intervalMs);
    this.timer.unref();
  }
}
