// How long the store's housekeeping holds the event loop, published for `npm run soak`.
import { channel } from 'node:diagnostics_channel';

/**
 * Each compaction, purge and checkpoint (durable.ts), when done: `{ kind, ms, longestSliceMs,
 * records }`, the longest slice being the longest a request could have waited behind it.
 * `npm run soak` prints them (bench/probe.js); nothing is published while nobody listens.
 */
const housekeepingChannel = channel('glossia-mock:housekeeping');

/**
 * Times one housekeeping task: in all, and its longest synchronous stretch between two yields,
 * with the process's CPU time during that stretch (on a busy machine the wall time of a stretch
 * also counts the time the process waited for a core).
 */
export class Stopwatch {
  private readonly began = performance.now();
  private resumed = this.began;
  private resumedCpu = process.cpuUsage();
  private longest = 0;
  private longestCpu = 0;
  constructor(private readonly kind: 'compaction' | 'purge' | 'checkpoint') {}

  /** Lets requests run: `work` (a write, or just the next turn) is awaited outside the slice. */
  async yieldTo<T>(work: Promise<T>): Promise<T> {
    this.endSlice();
    try {
      return await work;
    } finally {
      this.resumed = performance.now();
      this.resumedCpu = process.cpuUsage();
    }
  }

  done(records: number): void {
    this.endSlice();
    if (housekeepingChannel.hasSubscribers)
      housekeepingChannel.publish({
        kind: this.kind,
        ms: performance.now() - this.began,
        longestSliceMs: this.longest,
        longestSliceCpuMs: this.longestCpu,
        records,
      });
  }

  private endSlice() {
    const ms = performance.now() - this.resumed;
    if (ms <= this.longest) return;
    const cpu = process.cpuUsage(this.resumedCpu);
    this.longest = ms;
    this.longestCpu = (cpu.user + cpu.system) / 1000;
  }
}
