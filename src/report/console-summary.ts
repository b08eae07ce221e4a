// The few lines `smokestack run` prints when a scenario ends: the verdict, the totals, the
// slowest request against the server timeout, flagged counts, findings, the comparison with
// `--baseline` (regressions, improvements, the first notes), and where the report is.
// Returns a string (the CLI writes it); colour only when asked (a TTY).
import path from 'node:path';
import type { RunResult, Severity } from '../result/types.js';
import { formatCount, formatDuration, formatErrorRate } from '../units/index.js';
import { isComparison } from './compare.js';
import { describeChange } from './format-comparison.js';
import { errorsBeforeTraffic, statusLabel, timeoutBudget, verdictHeadline } from './verdict-view.js';

export interface ConsoleSummaryOptions {
  color: boolean;
  /** The run's report directory; its index.html is printed last. */
  reportDir?: string;
}

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, dim: 2, bold: 1 } as const;
const MAX_FINDINGS = 12;
const MAX_NOTES = 6;

export function formatConsoleSummary(result: RunResult, options: ConsoleSummaryOptions): string {
  const paint = (style: keyof typeof CODES, text: string) =>
    options.color ? `\u001b[${CODES[style]}m${text}\u001b[0m` : text;
  const statusColour = result.status === 'passed' ? 'green' : result.status === 'failed' ? 'red' : 'yellow';
  const sev: Record<Severity, string> = {
    fail: paint('red', 'FAIL'),
    warn: paint('yellow', 'WARN'),
    info: paint('blue', 'INFO'),
  };
  const b = timeoutBudget(result);
  const t = result.flaggedTotal;
  const lines = [
    `${paint('bold', paint(statusColour, statusLabel(result.status)))}  ${result.scenario.name}  ${paint('dim', verdictHeadline(result))}`,
    `  requests  ${formatCount(result.requests.total)} · ${formatCount(result.requests.errors)} errors (${formatErrorRate(result.requests.errors, result.requests.total)})`,
    b.deadlineBy
      ? `  deadline  ${formatDuration(b.timeoutMs)}: ${b.deadlineBy} (${b.sourceLabel}) · slowest request ${b.slowestLabel}`
      : b.timeoutMs > 0
        ? `  timeout   ${formatDuration(b.timeoutMs)} (${b.sourceLabel}) · slowest request ${b.slowestLabel}`
        : `  timeout   none · slowest request ${formatDuration(b.slowestMs)}`,
    `  flagged   ${count(t.killed, 'killed', 'red')} · ${count(t.critical, 'critical', 'red')} · ${count(t.approaching, 'approaching', 'yellow')} · worker timeouts ${b.workerTimeouts}`,
  ];
  // What the server logged before the first request (boot, setup, readiness): said apart, not counted.
  const early = errorsBeforeTraffic(result);
  if (early) lines.push(`  before traffic: ${oneLine(early)}`);
  if (result.headroom) {
    lines.push(`  headroom  ${oneLine(result.headroom.summary)}`);
    if (result.headroom.projection) lines.push(`            ${oneLine(result.headroom.projection.words)}`);
  }
  if (result.integrity.length > 0) {
    const passed = result.integrity.filter((i) => i.passed).length;
    lines.push(`  database  ${passed} of ${result.integrity.length} checks passed`);
  }
  const findings = result.findings.filter((f) => f.severity !== 'info');
  for (const f of findings.slice(0, MAX_FINDINGS)) lines.push(`  ${sev[f.severity]}  ${oneLine(f.title)}`);
  if (findings.length > MAX_FINDINGS) lines.push(`  … ${findings.length - MAX_FINDINGS} more in the report`);
  if (isComparison(result.comparison)) {
    const c = result.comparison;
    const n = c.regressions.length;
    const verdict =
      n === 0 ? paint('green', 'no regression') : paint('red', `${n} regression${n === 1 ? '' : 's'}`);
    lines.push(`  baseline  ${oneLine(c.baseline.runId)}: ${verdict}`);
    const confidence = c.latencyTest?.confidence;
    for (const r of c.regressions)
      lines.push(`    ${paint('red', '✗')} ${oneLine(describeChange(r, confidence))}`);
    for (const r of c.improvements)
      lines.push(`    ${paint('green', '✓')} ${oneLine(describeChange(r, confidence))}`);
    for (const note of c.notes.slice(0, MAX_NOTES))
      lines.push(`    ${paint('dim', `note: ${oneLine(note)}`)}`);
    if (c.notes.length > MAX_NOTES)
      lines.push(`    … ${c.notes.length - MAX_NOTES} more notes in the report`);
  }
  if (options.reportDir) lines.push(`  report    ${path.join(options.reportDir, 'index.html')}`);
  return lines.join('\n');

  function count(n: number, label: string, colour: keyof typeof CODES): string {
    return n > 0 ? paint(colour, `${n} ${label}`) : `${n} ${label}`;
  }
}

function oneLine(text: string): string {
  // Terminal escape sequences from a hostile title must not reach the terminal.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
}
