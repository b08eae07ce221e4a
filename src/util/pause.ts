// The one abortable wait: node:timers/promises, which removes its abort listener when the timer
// fires (a hand-written sleep that forgets to is a listener leak on a long-lived signal).
import { setTimeout as wait } from 'node:timers/promises';

/** Resolves true after `ms`, or false at once when the signal aborts (never rejects). */
export async function pause(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return false;
  if (ms <= 0) return true;
  try {
    await wait(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
