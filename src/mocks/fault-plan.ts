// Decides, per call, whether a mock injects a fault. Pure apart from the rate limiter's window,
// which the plan owns (one plan per mock, and one per route that has its own faults).
// Order: a fault fixed on this call number wins; then the rate limit (a gateway rejects before
// any work); then one uniform draw picks hang, reset or error by their shares.
import type { FaultSpec } from '../behaviour/types.js';

export type FaultKind = 'rateLimit' | 'error' | 'reset' | 'hang';
export const FAULT_KINDS: readonly FaultKind[] = ['rateLimit', 'error', 'reset', 'hang'];

export type FaultDecision =
  | { kind: 'rateLimit'; retryAfterS: number; limitPerSecond: number }
  | { kind: 'error'; status: number }
  | { kind: 'reset' }
  | { kind: 'hang' };

export interface FaultPlan {
  /** `index` is the 1-based call number, `u` one uniform draw for this call, `nowMs` a monotonic clock. */
  decide(index: number, u: number, nowMs: number): FaultDecision | undefined;
}

export function createFaultPlan(spec: FaultSpec): FaultPlan {
  const status = spec.errorStatus ?? 500;
  const at = new Map((spec.atRequests ?? []).map((a) => [a.index, a.fault]));
  const limiter = spec.rateLimitPerSecond ? createRateWindow(spec.rateLimitPerSecond) : undefined;
  const hang = spec.hangRate ?? 0;
  const reset = hang + (spec.resetRate ?? 0);
  const error = reset + (spec.errorRate ?? 0);

  return {
    decide(index, u, nowMs) {
      const fixed = at.get(index);
      if (fixed === 'rateLimit')
        return { kind: 'rateLimit', retryAfterS: 1, limitPerSecond: spec.rateLimitPerSecond ?? 0 };
      if (fixed === 'error') return { kind: 'error', status };
      if (fixed === 'reset' || fixed === 'hang') return { kind: fixed };
      if (limiter) {
        const retryAfterMs = limiter.admit(nowMs);
        if (retryAfterMs > 0) {
          return {
            kind: 'rateLimit',
            retryAfterS: Math.max(1, Math.ceil(retryAfterMs / 1000)),
            limitPerSecond: limiter.perSecond,
          };
        }
      }
      if (u < hang) return { kind: 'hang' };
      if (u < reset) return { kind: 'reset' };
      if (u < error) return { kind: 'error', status };
      return undefined;
    },
  };
}

export interface RateWindow {
  perSecond: number;
  /** Admits the call (returns 0) or says how many ms until the window has room again. */
  admit(nowMs: number): number;
}

/**
 * A sliding window over admitted calls: at most `capacity` in any `windowMs`. Rates under 1/s
 * widen the window (0.5/s: 1 call per 2 s); fractional rates above round down (2.5/s: 2 per s).
 * Rejected calls do not use capacity, so a client that backs off gets through again.
 */
export function createRateWindow(perSecond: number): RateWindow {
  const windowMs = Math.max(1000, 1000 / perSecond);
  const capacity = Math.max(1, Math.floor((perSecond * windowMs) / 1000));
  // Ring buffer of the admission times of the last `capacity` admitted calls.
  const times = new Float64Array(capacity).fill(Number.NEGATIVE_INFINITY);
  let next = 0;
  return {
    perSecond,
    admit(nowMs) {
      const oldest = times[next] as number;
      if (nowMs - oldest < windowMs) return oldest + windowMs - nowMs;
      times[next] = nowMs;
      next = (next + 1) % capacity;
      return 0;
    },
  };
}
