// summary.md: the verdict for a GitHub step summary ($GITHUB_STEP_SUMMARY) or a PR comment.
// GitHub renders Markdown with inline HTML, so every value from the run (paths, log lines,
// database values) goes through mdText: HTML-escaped and Markdown-neutralised. With `run
// --baseline` it also shows the comparison: each regression and improvement, its bootstrap
// interval, the notes (not enough samples, within noise) and the rule applied.
import type { RunResult } from '../result/types.js';
import { formatCount, formatDuration, formatErrorRate, formatShare } from '../units/index.js';
import { reportChecks } from './checks.js';
import { type Comparison, isComparison } from './compare.js';
import { formatClock } from './format.js';
import { formatDelta, formatInterval, formatValue, latencyRule } from './format-comparison.js';
import { errorsBeforeTraffic, statusLabel, timeoutBudget, verdictHeadline } from './verdict-view.js';

const TOP_FLAGGED = 10;
const ICON = { passed: '✅', failed: '❌', error: '⚠️', aborted: '⏹️' } as const;
const LEVEL_RANK = { approaching: 1, critical: 2, killed: 3 } as const;

export function renderSummaryMd(result: RunResult): string {
  const b = timeoutBudget(result);
  const t = result.flaggedTotal;
  const passedChecks = result.integrity.filter((i) => i.passed).length;
  const out: string[] = [
    `## ${ICON[result.status] ?? ''} smokestack ${statusLabel(result.status)}: ${mdText(result.scenario.name)}`,
    '',
    mdText(verdictHeadline(result)),
    '',
    '| | |',
    '|---|---|',
    `| requests | ${formatCount(result.requests.total)} (${formatCount(result.requests.errors)} errors, ${formatErrorRate(result.requests.errors, result.requests.total)}) |`,
    `| server timeout | ${b.timeoutMs > 0 ? formatDuration(b.timeoutMs) : 'none'} (${mdText(b.sourceLabel)}) |`,
    ...(result.target.server.injected?.length
      ? [`| turned on by smokestack | ${mdText(result.target.server.injected.join(', '))} |`]
      : []),
    `| slowest request | ${mdText(b.slowestLabel)} |`,
    ...(result.headroom
      ? [
          `| headroom | ${mdText([result.headroom.summary, result.headroom.projection?.words ?? ''].join(' ').trim())} |`,
        ]
      : []),
    `| flagged | **${t.killed}** killed · **${t.critical}** critical · **${t.approaching}** approaching |`,
    `| worker timeouts | ${b.workerTimeouts} |`,
  ];
  const early = errorsBeforeTraffic(result);
  if (early) out.push(`| before traffic | ${mdText(early)} |`);
  if (result.integrity.length > 0)
    out.push(`| database checks | ${passedChecks} of ${result.integrity.length} passed |`);
  const checks = reportChecks(result).filter((c) => !c.skipped);
  out.push(`| all checks | ${checks.filter((c) => c.passed).length} of ${checks.length} passed |`);
  if (result.target.image) out.push(`| image | \`${mdCode(result.target.image)}\` |`);

  const findings = result.findings.filter((f) => f.severity !== 'info');
  if (findings.length > 0) {
    out.push('', '### Findings', '');
    for (const f of findings) {
      out.push(
        `- **${f.severity.toUpperCase()}** ${mdText(f.title)}${f.detail ? ` — ${mdText(f.detail)}` : ''}`,
      );
      if (f.advice) out.push(`  - *What to do:* ${mdText(f.advice)}`);
    }
  }

  const failedChecks = result.integrity.filter((i) => !i.passed);
  const failing = checks.filter((c) => !c.passed);
  if (failing.length > 0) {
    out.push('', '### Failed checks', '');
    for (const c of failing) out.push(`- ${mdText(c.name)}: ${mdText(c.message)}`);
  }
  if (failedChecks.length > 0) {
    out.push('', '### Failed database checks', '', '| check | expected | actual |', '|---|---|---|');
    for (const i of failedChecks)
      out.push(`| ${mdText(i.name)} | ${mdText(i.expected)} | ${mdText(i.actual)} |`);
  }

  if (result.flagged.length > 0) {
    const top = topFlagged(result);
    out.push(
      '',
      `### Slowest flagged requests (${top.length} of ${formatCount(t.approaching + t.critical + t.killed)})`,
      '',
      '| level | started (UTC) | endpoint | request | latency | share of T | status | server log |',
      '|---|---|---|---|---:|---:|---|---|',
    );
    for (const f of top)
      out.push(
        `| ${f.level} | ${formatClock(f.at)} | ${mdText(f.endpoint)} | ${mdText(`${f.method} ${f.path}`)} | ${formatDuration(f.latencyMs)}${f.workerMs === undefined ? '' : ` (${formatDuration(f.workerMs)} in worker)`} | ${formatShare(f.ratio)} | ${mdText(f.status === undefined ? (f.error ?? 'no response') : String(f.status))} | ${mdText(f.serverEvent?.line ?? '')} |`,
      );
  }
  if (isComparison(result.comparison)) out.push(...comparisonSection(result.comparison));
  out.push('', `<sub>run ${mdText(result.runId)} · full report: index.html next to this file</sub>`, '');
  return out.join('\n');
}

function comparisonSection(c: Comparison): string[] {
  const n = c.regressions.length;
  const out = [
    '',
    '### Against the baseline',
    '',
    `${n === 0 ? '✅ No regression' : `❌ **${n} regression${n === 1 ? '' : 's'}**`} against run ${mdText(c.baseline.runId)}.`,
  ];
  const rows = [
    ...c.regressions.map((r) => ({ r, label: '❌ worse' })),
    ...c.improvements.map((r) => ({ r, label: '✅ better' })),
  ];
  if (rows.length > 0) {
    out.push('', '| | metric | baseline | this run | change | interval |', '|---|---|---:|---:|---:|---|');
    for (const { r, label } of rows)
      out.push(
        `| ${label} | ${mdText(r.endpoint ? `${r.metric} · ${r.endpoint}` : r.metric)} | ${formatValue(r.baseline, r)} | ${formatValue(r.current, r)} | ${formatDelta(r)} | ${formatInterval(r, c.latencyTest?.confidence)} |`,
      );
  }
  if (c.notes.length > 0) {
    out.push('');
    for (const note of c.notes) out.push(`- ${mdText(note)}`);
  }
  const rule = latencyRule(c);
  if (rule) out.push('', `<sub>latency: ${mdText(rule)}</sub>`);
  return out;
}

/** Killed first, then critical, then by latency: the ones to read first. One pass, bounded. */
function topFlagged(result: RunResult) {
  return [...result.flagged]
    .sort((a, b) => LEVEL_RANK[b.level] - LEVEL_RANK[a.level] || b.latencyMs - a.latencyMs)
    .slice(0, TOP_FLAGGED);
}

/** Text safe inside Markdown (and a table cell): no HTML, no formatting, one line. */
export function mdText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]{}()#+!|~]/g, '\\$&')
    .replace(/\r?\n|\r/g, ' ');
}

function mdCode(text: string): string {
  return text
    .replace(/`/g, "'")
    .replace(/\r?\n|\r/g, ' ')
    .replace(/\|/g, '\\|');
}
