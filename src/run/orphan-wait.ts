// After the traffic: when a layer in front cut requests (a proxy's 502/504), their work may still
// be running in the worker. The run waits for it — until each cut request's access line has
// appeared, the app has been quiet for a while (no log line, no mock call: gunicorn writes no
// access line for a response it could not send), or the worker timeout since its start has
// passed (the server kills it then), at most two minutes — so the snapshot sees the orphaned work.
// An app that works silently (no log, no mock) is seen only by its access line or the cap.
import { setTimeout as pause } from 'node:timers/promises';
import type { RequestSample } from '../load/recorder.js';
import type { AccessEntry } from '../observe/access-log.js';
import type { TimeoutChain } from '../server/chain.js';

const MOST_MS = 120_000;
/** The kill and its log line come about a second after T. */
const AFTER_T_MS = 2_000;
/** Longer than the gap between an import's pages; shorter than any test's patience. */
const QUIET_MS = 3_000;

export interface OrphanWaitInput {
  chain: TimeoutChain;
  failures: readonly RequestSample[];
  entries: () => readonly AccessEntry[];
  /** Epoch ms of the app's last sign of work (a log line of the app, a call to a mock). */
  lastActivity: () => number;
  signal: AbortSignal;
  now?: () => number;
}

/** The requests a layer in front answered for (502/503/504/524), still without an access line. */
export function cutWithoutLine(
  failures: readonly RequestSample[],
  entries: readonly AccessEntry[],
): RequestSample[] {
  return failures.filter(
    (s) =>
      s.status !== undefined &&
      [502, 503, 504, 524].includes(s.status) &&
      !entries.some(
        (e) =>
          e.method === s.method &&
          e.path.split('?')[0] === s.path.split('?')[0] &&
          e.at > s.startMs + s.latencyMs,
      ),
  );
}

/** Resolves when no cut request's work can still be running (or the wait is given up). */
export async function waitForOrphans(input: OrphanWaitInput): Promise<void> {
  const front = input.chain.chain.some((l) => l.layer !== 'server' && l.timeoutS > 0);
  if (!front) return;
  const now = input.now ?? Date.now;
  const t = input.chain.chain.find((l) => l.layer === 'server')?.timeoutS ?? 0;
  const started = now();
  for (;;) {
    const open = cutWithoutLine(input.failures, input.entries());
    if (open.length === 0) return;
    // With no worker timeout, nothing ends the work: the two-minute cap does.
    const until = Math.max(
      ...open.map((s) => (t > 0 ? s.startMs + t * 1000 + AFTER_T_MS : started + MOST_MS)),
    );
    if (now() >= Math.min(until, started + MOST_MS) || input.signal.aborted) return;
    if (now() - Math.max(input.lastActivity(), started) >= QUIET_MS) return;
    await pause(250, undefined, { signal: input.signal }).catch(() => {});
  }
}
