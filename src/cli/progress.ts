import { formatDuration } from '../units/index.js';
// Progress for long work: on a TTY one live line that rewrites itself; in CI (or with no TTY)
// a plain line every few seconds, so logs stay readable and show the run is alive.

export interface TrafficSnapshot {
  elapsedMs: number;
  total: number;
  rps: number;
  p99: number;
  errors: number;
  flaggedTotal: { approaching: number; critical: number; killed: number };
  /** Open-model phases: requests due and sent in the last full second. */
  targetRps?: number;
  sentRps?: number;
}

export interface Progress {
  stage(message: string): void;
  traffic(snapshot: TrafficSnapshot, phase: string): void;
  /** Ends a live line so later output starts on a fresh line. */
  done(): void;
}

export function createProgress(options: {
  stream: NodeJS.WritableStream;
  live: boolean;
  enabled: boolean;
  everyMs?: number;
  now?: () => number;
}): Progress {
  const { stream, live, enabled } = options;
  const everyMs = options.everyMs ?? 5_000;
  const now = options.now ?? Date.now;
  let lastPlain = 0;
  let lineOpen = false;
  const closeLine = () => {
    if (lineOpen) stream.write('\n');
    lineOpen = false;
  };
  return {
    stage(message) {
      if (!enabled) return;
      closeLine();
      stream.write(`• ${message}\n`);
    },
    traffic(s, phase) {
      if (!enabled) return;
      const text = formatTrafficLine(s, phase);
      if (live) {
        stream.write(`\r\x1b[K${text}`);
        lineOpen = true;
      } else if (now() - lastPlain >= everyMs) {
        lastPlain = now();
        stream.write(`${text}\n`);
      }
    },
    done() {
      closeLine();
    },
  };
}

export function formatTrafficLine(s: TrafficSnapshot, phase: string): string {
  const f = s.flaggedTotal;
  return (
    `  ${phase}  ${formatDuration(s.elapsedMs)}  ${s.total} req  ${Math.round(s.rps)} req/s  ` +
    (s.targetRps === undefined ? '' : `(sent ${s.sentRps ?? 0} of ${s.targetRps} due)  `) +
    `p99 ${formatDuration(s.p99)}  errors ${s.errors}  flagged ${f.approaching}/${f.critical}/${f.killed} (approaching/critical/killed)`
  );
}
