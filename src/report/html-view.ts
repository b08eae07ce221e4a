// Everything the HTML template shows, computed and formatted once here so the template stays
// declarative markup (and every value in it goes through ejs's escaping `<%=`). Linear in the
// result's lists, which result.json already bounds (timeline 1 row/s, flagged capped).

import { redact } from '../redact/result.js';
import type { FlaggedRequest, RunResult, ServerEvent } from '../result/types.js';
import { endpointName } from '../scenario/endpoint-name.js';
import { formatCount, formatDuration, formatErrorRate, formatShare } from '../units/index.js';
import { reportChecks } from './checks.js';
import { type Comparison, isComparison } from './compare.js';
import { formatClock, formatDateTime } from './format.js';
import { formatDelta, formatInterval, formatValue, latencyRule } from './format-comparison.js';
import { anchorFor, layOut } from './gauge-labels.js';
import {
  statusLabel,
  type TimeoutBudget,
  timeoutBudget,
  verdictHeadline,
  verdictReasons,
} from './verdict-view.js';

/** Server events listed in the table; more stay in result.json. */
const MAX_EVENT_ROWS = 2_000;
const LEVEL_RANK = { approaching: 1, critical: 2, killed: 3 } as const;
/** Flagged rows laid out at first; the rest are folded (a 10,000-row table takes seconds to lay out). */
export const FLAGGED_VISIBLE_ROWS = 500;

export type Row = { label: string; value: string }[];

/** Long on purpose: the template's whole view model in one object literal, in the order the page shows it. */
export function htmlView(result: RunResult) {
  const budget = timeoutBudget(result);
  const durationMs = result.meta?.durationMs ?? Date.parse(result.finishedAt) - Date.parse(result.startedAt);
  const seconds = result.timeline.length;
  const flagged = [...result.flagged].sort(
    (a, b) => LEVEL_RANK[b.level] - LEVEL_RANK[a.level] || b.latencyMs - a.latencyMs,
  );
  const comparison = isComparison(result.comparison) ? comparisonView(result.comparison) : undefined;
  const server = result.target.server;
  const beforeTraffic = result.serverEvents.filter((e) => e.beforeTraffic);
  const duringTraffic = result.serverEvents.filter((e) => !e.beforeTraffic);
  return {
    title: `${statusLabel(result.status)} · ${result.scenario.name} · smokestack`,
    runId: result.runId,
    scenario: result.scenario,
    status: result.status,
    statusLabel: statusLabel(result.status),
    headline: verdictHeadline(result),
    reasons: verdictReasons(result).map((f) => ({ severity: f.severity, title: f.title, detail: f.detail })),
    started: formatDateTime(result.startedAt),
    duration: formatDuration(durationMs),
    totals: [
      { label: 'requests', value: formatCount(result.requests.total) },
      {
        label: 'errors',
        value: `${formatCount(result.requests.errors)} (${formatErrorRate(result.requests.errors, result.requests.total)})`,
        bad: result.requests.errors > 0,
      },
      {
        label: 'mean throughput',
        value: seconds > 0 ? `${formatRps(result.requests.total / seconds)} req/s` : '–',
      },
      { label: 'worker timeouts', value: String(budget.workerTimeouts), bad: budget.workerTimeouts > 0 },
      { label: 'duration', value: formatDuration(durationMs) },
    ],
    budget: gauge(budget),
    headroom: result.headroom
      ? [result.headroom.summary, ...(result.headroom.projection ? [result.headroom.projection.words] : [])]
      : [],
    counts: {
      approaching: formatCount(result.flaggedTotal.approaching),
      critical: formatCount(result.flaggedTotal.critical),
      killed: formatCount(result.flaggedTotal.killed),
    },
    flaggedDropped: formatCount(result.flaggedDropped ?? 0),
    flaggedCount: formatCount(result.flagged.length),
    endpoints: result.requests.byEndpoint.map((e) => ({
      name: e.name,
      // The route under a name the scenario gave, as a pattern (`GET /api/movies/:id`); none under
      // the default name, which is that pattern already (or, in older results, the path itself).
      route:
        e.name === endpointName(e.method, e.path) || e.name === `${e.method} ${e.path}`
          ? undefined
          : endpointName(e.method, e.path),
      method: e.method,
      path: e.path,
      group: e.group ?? '',
      count: formatCount(e.count),
      countN: e.count,
      errorsN: e.errors,
      errors: e.errors > 0 ? `${formatCount(e.errors)} (${formatErrorRate(e.errors, e.count)})` : '0',
      bad: e.errors > 0,
      statusCodes: Object.entries(e.statusCodes).map(([code, n]) => ({
        code,
        n: formatCount(n),
        ok: /^[23]\d\d$/.test(code),
      })),
      latency: (['p50', 'p90', 'p95', 'p99', 'max'] as const).map((k) => ({
        text: formatDuration(e.latencyMs[k]),
        ms: e.latencyMs[k],
        cls: latencyClass(e.latencyMs[k], budget),
      })),
    })),
    openModel: (result.phases ?? []).some((p) => p.model === 'open'),
    phases: (result.phases ?? []).map((p) => ({
      name: p.name,
      model: p.model === 'open' ? `open${p.peakRatePerSecond ? `, ${p.peakRatePerSecond}/s` : ''}` : 'closed',
      planned: p.planned > 0 ? formatCount(p.planned) : '–',
      sent: formatCount(p.sent),
      dropped: formatCount(p.dropped),
      late: formatCount(p.late),
      cutOff: formatCount(p.cutOff + p.unsent),
      connections:
        p.model === 'open'
          ? `${formatCount(p.connectionsOpened ?? p.connections)} of ${formatCount(p.maxConnections ?? p.connections)}`
          : formatCount(p.connections),
      latencyFrom: p.model === 'open' ? 'intended send time' : 'send',
      short: p.dropped + p.late > 0,
    })),
    flagged: flagged.map((f, i) => ({ ...flaggedRow(f), folded: i >= FLAGGED_VISIBLE_ROWS })),
    flaggedFolded: Math.max(0, flagged.length - FLAGGED_VISIBLE_ROWS),
    // The traffic's events, and apart from them what the server logged before it (never counted).
    events: duringTraffic.slice(0, MAX_EVENT_ROWS).map(eventRow),
    eventsHidden: Math.max(0, duringTraffic.length - MAX_EVENT_ROWS),
    eventsBeforeTraffic: beforeTraffic.slice(0, MAX_EVENT_ROWS).map(eventRow),
    eventsBeforeTrafficHidden: Math.max(0, beforeTraffic.length - MAX_EVENT_ROWS),
    mocks: result.mocks.map((m) => ({
      name: m.name,
      baseUrl: m.baseUrl ?? '',
      calls: formatCount(m.calls),
      // What an integrity check writes to read these counts (src/templates/mock-values.ts).
      template: `{{mocks.${m.name}.calls}}`,
      latency: `p50 ${formatDuration(m.latencyMs.p50)} · p99 ${formatDuration(m.latencyMs.p99)} · max ${formatDuration(m.latencyMs.max)}`,
      faults: Object.entries(m.faults).map(([k, n]) => `${k}: ${formatCount(n)}`),
      served: Object.entries(m.served ?? {}).map(([k, n]) => `${k}: ${formatCount(n)}`),
      routes: m.byRoute.map((r) => ({
        route: `${r.method} ${r.route}`,
        calls: formatCount(r.calls),
        template: r.key ? `{{mocks.${m.name}.routes.${r.key}.calls}}` : '',
        statusCodes: Object.entries(r.statusCodes)
          .map(([c, n]) => `${c} ×${formatCount(n)}`)
          .join(' · '),
      })),
    })),
    integrity: result.integrity,
    checks: reportChecks(result),
    findings: result.findings,
    comparison,
    meta: metaRows(result, durationMs),
    serverRows: [
      { label: 'server', value: server.kind },
      {
        label: 'worker timeout',
        value: budget.timeoutMs > 0 ? formatDuration(server.timeoutS * 1000) : 'disabled (0)',
      },
      { label: 'timeout source', value: budget.sourceLabel },
      // What the harness turned on in the server (the access log with time in the worker).
      ...(server.injected?.length
        ? [{ label: 'turned on by smokestack', value: server.injected.join(', ') }]
        : []),
      { label: 'workers', value: server.workers === undefined ? '–' : String(server.workers) },
      { label: 'worker class', value: server.workerClass ?? '–' },
      {
        label: 'keep-alive',
        value: server.keepAliveS === undefined ? '–' : formatDuration(server.keepAliveS * 1000),
      },
      {
        label: 'graceful timeout',
        value: server.gracefulTimeoutS === undefined ? '–' : formatDuration(server.gracefulTimeoutS * 1000),
      },
      { label: 'detected from', value: (server.detectedFrom ?? []).join(', ') || '–' },
    ],
    versions: Object.entries(result.meta?.versions ?? {}).map(([label, value]) => ({ label, value })),
    containers: (result.meta?.containers ?? []).map((c) => ({
      name: c.name,
      image: c.image,
      start: formatDuration(c.startMs),
    })),
    env: Object.entries(result.meta?.env ?? {}).map(([label, value]) => ({
      label,
      value: redact(label, String(value)),
    })),
  };
}

export type HtmlView = ReturnType<typeof htmlView>;

/** Percent positions on a scale from 0 to max(1.2 T, slowest) for the gauge. */
function gauge(b: TimeoutBudget) {
  const enabled = b.timeoutMs > 0;
  const scale = enabled ? Math.min(2, Math.max(1.2, b.slowestShare * 1.05)) : 1;
  const pos = (share: number) => Math.round((Math.min(share, scale) / scale) * 1000) / 10;
  const level =
    !enabled || b.slowestShare < b.warnAt
      ? 'ok'
      : b.slowestShare < b.criticalAt
        ? 'approaching'
        : b.slowestShare < 1
          ? 'critical'
          : 'killed';
  const timeoutText = enabled ? formatDuration(b.timeoutMs) : 'none';
  const warnText = enabled ? `${formatShare(b.warnAt)} · ${formatDuration(b.timeoutMs * b.warnAt)}` : '';
  const critText = enabled
    ? `${formatShare(b.criticalAt)} · ${formatDuration(b.timeoutMs * b.criticalAt)}`
    : '';
  const shareText = enabled ? formatShare(b.slowestShare) : '';
  const offScale = enabled && b.slowestShare > scale;
  const slowestPos = pos(b.slowestShare);
  const needleText = `${offScale ? '→ ' : ''}slowest ${shareText}`;
  // Under the bar, in rows, so no two labels overlap (./gauge-labels.ts).
  const ticks = layOut([
    { text: `warn ${warnText}`, pos: pos(b.warnAt) },
    { text: `critical ${critText}`, pos: pos(b.criticalAt) },
    { text: `T ${timeoutText}`, pos: pos(1) },
  ]);
  return {
    ...b,
    enabled,
    level,
    timeoutText,
    warnText,
    critText,
    shareText,
    slowestText: formatDuration(b.slowestMs),
    warnPos: pos(b.warnAt),
    critPos: pos(b.criticalAt),
    timeoutPos: pos(1),
    slowestPos,
    offScale,
    ticks,
    tickRows: Math.max(1, ...ticks.map((t) => t.row + 1)),
    needle: { text: needleText, anchor: anchorFor(needleText, slowestPos) },
  };
}

function formatRps(rps: number): string {
  return rps < 100 ? rps.toFixed(1) : formatCount(rps);
}

function latencyClass(ms: number, b: TimeoutBudget): string {
  if (b.timeoutMs <= 0) return '';
  if (ms >= b.timeoutMs) return 'lvl-killed';
  if (ms >= b.timeoutMs * b.criticalAt) return 'lvl-critical';
  if (ms >= b.timeoutMs * b.warnAt) return 'lvl-approaching';
  return '';
}

function flaggedRow(f: FlaggedRequest) {
  const atMs = Date.parse(f.at);
  return {
    atMs: Number.isFinite(atMs) ? atMs : 0,
    time: formatClock(f.at),
    endpoint: f.endpoint,
    method: f.method,
    path: f.path,
    latencyMs: f.latencyMs,
    // The share of T is on the time in the worker when the access log gave it: say so next to the latency.
    latency:
      f.workerMs === undefined
        ? formatDuration(f.latencyMs)
        : `${formatDuration(f.latencyMs)} (${formatDuration(f.workerMs)} in worker)`,
    ratio: f.ratio,
    share: formatShare(f.ratio),
    outcome: f.status !== undefined ? String(f.status) : (f.error ?? 'no response'),
    outcomeBad: f.status === undefined || f.status >= 500,
    level: f.level,
    rank: LEVEL_RANK[f.level] ?? 0,
    log: f.serverEvent?.line ?? '',
    logTime: f.serverEvent ? formatClock(f.serverEvent.at) : '',
  };
}

function comparisonView(c: Comparison) {
  const row = (x: Comparison['regressions'][number]) => ({
    what: x.endpoint ? `${x.metric} · ${x.endpoint}` : x.metric,
    baseline: formatValue(x.baseline, x),
    current: formatValue(x.current, x),
    delta: formatDelta(x),
    interval: formatInterval(x, c.latencyTest?.confidence),
  });
  return {
    baselineRun: c.baseline.runId,
    ok: c.ok,
    rule: latencyRule(c),
    regressions: c.regressions.map(row),
    improvements: c.improvements.map(row),
    notes: c.notes,
  };
}

function metaRows(result: RunResult, durationMs: number): Row {
  const rows: Row = [
    { label: 'scenario', value: result.scenario.name },
    { label: 'file', value: result.scenario.file },
    { label: 'run id', value: result.runId },
    { label: 'target', value: `${result.target.mode} · ${result.target.baseUrl}` },
  ];
  if (result.target.image) rows.push({ label: 'image', value: result.target.image });
  rows.push(
    { label: 'started', value: formatDateTime(result.startedAt) },
    { label: 'finished', value: formatDateTime(result.finishedAt) },
    { label: 'duration', value: formatDuration(durationMs) },
  );
  if (result.meta?.error) rows.push({ label: 'error', value: result.meta.error });
  return rows;
}

function eventRow(e: ServerEvent) {
  return {
    time: formatClock(e.at),
    kind: e.kind,
    pid: e.pid === undefined ? '' : String(e.pid),
    source: e.source ?? '',
    line: e.line,
    bad: e.kind !== 'worker-boot',
  };
}
