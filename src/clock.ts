// The one place that says what time it is. Each mock instance owns a clock so that tests can move
// time forward (token expiry without sleeping) without affecting other instances.

export interface Clock {
  /** Milliseconds since the epoch, as the mock sees it. */
  nowMs(): number;
  /** Whole seconds since the epoch (JWT `iat`/`exp` unit). */
  now(): number;
  /** Move this instance's time forward (or back, for negative values). */
  advance(seconds: number): void;
  /** How far this clock is ahead of the machine's, in seconds. */
  offset(): number;
  /** Back to the machine's time. */
  reset(): void;
}

export function createClock(base: () => number = Date.now): Clock {
  let offsetMs = 0;
  const nowMs = () => base() + offsetMs;
  return {
    nowMs,
    now: () => Math.floor(nowMs() / 1000),
    advance(seconds) {
      offsetMs += seconds * 1000;
    },
    offset: () => offsetMs / 1000,
    reset() {
      offsetMs = 0;
    },
  };
}

/** ISO-8601 UTC with microseconds, the format of every Glossia JSON timestamp. */
export function isoMicros(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
