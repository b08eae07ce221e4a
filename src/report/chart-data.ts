// The one JSON slot of the HTML report: what the charts draw, columnar so it is small and uPlot
// can take it as is. Everything the reader must see without JavaScript is in the tables instead.
import type { RunResult } from '../result/types.js';
import { trafficOrigin } from './traffic-origin.js';
import type { TimeoutBudget } from './verdict-view.js';

/** Markers beyond this are dropped from the chart (they all stay in the events table). */
const MAX_MARKERS = 500;

export interface ChartData {
  /** Epoch ms of t = 0; exact=false when estimated. */
  origin: { ms: number; exact: boolean };
  timeoutMs: number;
  warnMs: number;
  critMs: number;
  timeline: {
    t: number[];
    p50: number[];
    p99: number[];
    max: number[];
    rps: number[];
    errors: number[];
    /** Open-model phases: requests due and requests sent per second (null where no open phase ran). */
    target?: (number | null)[];
    sent?: (number | null)[];
  };
  /** Server events on the timeline's axis (seconds). */
  events: { t: number; kind: string; label: string }[];
  /** Flagged requests at the second they finished, for dots on the latency chart. */
  flagged: { t: number[]; ms: number[]; level: number[] };
  histogram: { le: number[]; count: number[] };
}

const LEVEL_CODE = { approaching: 1, critical: 2, killed: 3 } as const;

export function chartData(result: RunResult, budget: TimeoutBudget): ChartData {
  const origin = trafficOrigin(result);
  const n = result.timeline.length;
  const timeline = {
    t: new Array<number>(n),
    p50: new Array<number>(n),
    p99: new Array<number>(n),
    max: new Array<number>(n),
    rps: new Array<number>(n),
    errors: new Array<number>(n),
  } as ChartData['timeline'];
  const open = result.timeline.some((row) => row.target !== undefined);
  if (open) {
    timeline.target = result.timeline.map((row) => row.target ?? null);
    timeline.sent = result.timeline.map((row) => row.sent ?? null);
  }
  result.timeline.forEach((row, i) => {
    timeline.t[i] = row.t;
    timeline.p50[i] = round(row.p50);
    timeline.p99[i] = round(row.p99);
    timeline.max[i] = round(row.max);
    timeline.rps[i] = round(row.rps);
    timeline.errors[i] = row.errors;
  });
  const toT = (epochMs: number) => Math.round((epochMs - origin.ms) / 100) / 10;

  const events: ChartData['events'] = [];
  for (const e of result.serverEvents) {
    if (events.length >= MAX_MARKERS) break;
    // Before second 0 of the timeline: the reports list them apart (boot, setup, readiness).
    if (e.beforeTraffic) continue;
    const at = Date.parse(e.at);
    if (!Number.isFinite(at)) continue;
    events.push({ t: toT(at), kind: e.kind, label: e.pid === undefined ? e.kind : `${e.kind} pid ${e.pid}` });
  }

  const flagged: ChartData['flagged'] = { t: [], ms: [], level: [] };
  for (const f of result.flagged) {
    const at = Date.parse(f.at);
    if (!Number.isFinite(at)) continue;
    // The timeline row (second) it ended in, so the dot sits on that row's max.
    flagged.t.push(Math.floor(toT(at + f.latencyMs)));
    flagged.ms.push(round(f.latencyMs));
    flagged.level.push(LEVEL_CODE[f.level] ?? 1);
  }

  const histogram: ChartData['histogram'] = { le: [], count: [] };
  for (const b of result.histogram ?? []) {
    histogram.le.push(b.leMs);
    histogram.count.push(b.count);
  }

  return {
    origin,
    timeoutMs: budget.timeoutMs,
    warnMs: budget.timeoutMs * budget.warnAt,
    critMs: budget.timeoutMs * budget.criticalAt,
    timeline,
    events,
    flagged,
    histogram,
  };
}

/**
 * JSON for `<script type="application/json">`: `<` as \u003c so no value can close the script
 * element or open a comment, and U+2028/2029 escaped for older JavaScript parsers.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
