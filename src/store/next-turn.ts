/** Resolves on the event loop's next turn, after the I/O that is waiting: how housekeeping yields to requests. */
export const nextTurn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * `write` on the next turn, once however often it is asked for before then. No request waits on
 * it, so a failure is logged; the change stays pending for the next write.
 */
export function onNextTurn(write: () => void, log: (message: string) => void): () => void {
  let scheduled = false;
  return () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      try {
        write();
      } catch (err) {
        log((err as Error).message);
      }
    });
  };
}
