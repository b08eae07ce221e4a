// A container that dies mid-run ends the run as an infrastructure error (exit 3), not as a
// failed verdict made of the errors its death caused. The traffic gets a signal of its own that
// fires on Ctrl-C (the run's signal) or on the death, so it stops at once either way; the death
// is then thrown where the run checks for it, and the run keeps its result with status "error".
export interface DeathWatch {
  /** For the traffic: aborts on the run's signal or on a container's death. */
  signal: AbortSignal;
  /** Throws the death (CONTAINER_DIED) if one happened. */
  throwIfDied(): void;
  stop(): void;
}

export function stopOnDeath(runSignal: AbortSignal, died: Promise<never> | undefined): DeathWatch {
  const controller = new AbortController();
  let death: unknown;
  let stopped = false;
  const onAbort = () => controller.abort(runSignal.reason);
  runSignal.addEventListener('abort', onAbort, { once: true });
  if (runSignal.aborted) onAbort();
  died?.catch((error: unknown) => {
    if (stopped) return;
    death = error;
    controller.abort('container died');
  });
  return {
    signal: controller.signal,
    throwIfDied: () => {
      if (death !== undefined) throw death;
    },
    stop: () => {
      stopped = true;
      runSignal.removeEventListener('abort', onAbort);
    },
  };
}
