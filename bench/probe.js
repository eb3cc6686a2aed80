// Loaded into the mock by `npm run soak` (node --import): answers the soak over the IPC channel
// with what the mock cannot report about itself without changing what it serves: memory, the
// event loop's longest delay, garbage-collection pauses and the store's housekeeping (compactions,
// purges), each since the previous question. Not part of the product.
import { subscribe } from 'node:diagnostics_channel';
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';

const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();
const fresh = () => ({ count: 0, maxMs: 0, totalMs: 0, majorCount: 0, majorMaxMs: 0 });
let gc = fresh();
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gc.count++;
    gc.totalMs += e.duration;
    gc.maxMs = Math.max(gc.maxMs, e.duration);
    if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
      gc.majorCount++;
      gc.majorMaxMs = Math.max(gc.majorMaxMs, e.duration);
    }
  }
}).observe({ entryTypes: ['gc'] });
let housekeeping = {};
subscribe('glossia-mock:housekeeping', ({ kind, ms, longestSliceMs, longestSliceCpuMs }) => {
  const h = (housekeeping[kind] ??= { count: 0, maxMs: 0, longestSliceMs: 0, longestSliceCpuMs: 0 });
  h.count++;
  h.maxMs = Math.max(h.maxMs, ms);
  if (longestSliceMs > h.longestSliceMs) Object.assign(h, { longestSliceMs, longestSliceCpuMs });
});

process.on('message', (msg) => {
  if (msg?.probe === 'stats') {
    const m = process.memoryUsage();
    process.send({
      probe: 'stats',
      rssMb: m.rss / 2 ** 20,
      heapUsedMb: m.heapUsed / 2 ** 20,
      heapTotalMb: m.heapTotal / 2 ** 20,
      externalMb: m.external / 2 ** 20,
      loopMaxMs: loop.max / 1e6,
      loopP99Ms: loop.percentile(99) / 1e6,
      gc,
      housekeeping,
      /** MB each V8 space holds from the system, and uses. */
      spaces: Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, [+(s.space_size / 2 ** 20).toFixed(1), +(s.space_used_size / 2 ** 20).toFixed(1)]])),
    });
    loop.reset();
    gc = fresh();
    housekeeping = {};
  } else if (msg?.probe === 'snapshot') {
    process.send({ probe: 'snapshot', file: writeHeapSnapshot(msg.file) });
  }
});
// The IPC channel must not keep the mock alive on its own.
process.channel?.unref();
