// The sweep's index.html: one self-contained file like a run's report (the same stylesheet
// inlined, the same Content-Security-Policy that forbids every fetch, no script at all): the
// answer in words, the chart (./chart-svg.ts), and a table of the steps, each linked to its own
// report. Every value from the run is escaped.
import { loadAssets } from '../report/assets.js';
import { formatDuration, formatShare } from '../units/index.js';
import { version } from '../version.js';
import { escapeXml as esc, sweepChartSvg } from './chart-svg.js';
import type { SweepJson } from './sweep-json.js';
import { formatValue } from './target.js';
import type { AnswerContext } from './words.js';

const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const SWEEP_CSS = `
.sweep-chart { width: 100%; max-width: 760px; height: auto; }
.sweep-chart .plot { fill: #fff; stroke: var(--line); }
.sweep-chart .level { stroke-width: 1.5; stroke-dasharray: 6 4; }
.sweep-chart .level.warn { stroke: var(--approaching); }
.sweep-chart .level.critical { stroke: var(--critical); }
.sweep-chart .level.deadline { stroke: var(--killed); stroke-dasharray: none; }
.sweep-chart .level-label, .sweep-chart .tick, .sweep-chart .axis { font: 12px sans-serif; fill: var(--muted); }
.sweep-chart .trace { fill: none; stroke: var(--accent); stroke-width: 1.5; }
.sweep-chart .cliff { fill: var(--fail-bg); opacity: 0.7; }
.sweep-chart .point.pass { fill: var(--pass); }
.sweep-chart .point.fail { fill: var(--fail); }
.sweep-chart .point.last-passing, .sweep-chart .point.first-failing { stroke: #111; stroke-width: 2; }
table.steps td, table.steps th { padding: 4px 10px; text-align: left; }
`;

export async function renderSweepHtml(sweep: SweepJson, ctx: AnswerContext, answer: string): Promise<string> {
  const assets = await loadAssets();
  const value = (v: number) => formatValue(ctx, v);
  const href = (_runId: string, resultPath: string) => resultPath.replace(/result\.json$/, 'index.html');
  const status = sweep.lastPassing === null ? 'failed' : 'passed';
  const marginLine =
    sweep.margin === null
      ? 'no headroom at FROM'
      : `margin ${sweep.margin}x of FROM (${value(sweep.vary.from)})`;
  const rows = sweep.steps
    .map((s) => {
      const mark =
        s.value === sweep.lastPassing
          ? 'last passing'
          : s.value === sweep.firstFailing
            ? 'first failing'
            : '';
      return `<tr><td>${esc(value(s.value))}</td><td><span class="tag ${s.status === 'passed' ? 'sev-info' : 'sev-fail'}">${esc(s.status)}</span> ${esc(mark)}</td><td>${esc(formatDuration(s.worstMs))}</td><td>${esc(formatShare(s.ratio))}</td><td>${esc(s.reason ?? '')}</td><td><a href="${esc(href(s.runId, s.result))}">report</a></td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="generator" content="smokestack ${esc(version)}">
<title>sweep · ${esc(sweep.scenario.name)} · ${esc(sweep.vary.target)} · smokestack</title>
<style>${assets.css}</style>
<style>${SWEEP_CSS}</style>
</head>
<body class="status-${status}">
<header class="top"><div class="brand">smokestack sweep<span>${esc(sweep.scenario.name)} · ${esc(sweep.startedAt)}</span></div></header>
<main>
<section class="banner" id="verdict" aria-label="answer">
  <div class="word">${status === 'passed' ? 'HEADROOM' : 'NO HEADROOM'}</div>
  <div class="headline">${esc(answer)}</div>
  <div class="meta">${esc(sweep.vary.target)} from ${esc(value(sweep.vary.from))} to ${esc(value(sweep.vary.to))} · ${sweep.steps.length} runs · precision ${esc(value(sweep.precision))} · ${esc(confirmLine(sweep))} · ${esc(marginLine)} · search ended: ${esc(sweep.end)}</div>
</section>
<section class="card" id="chart">
  <h2>Worst request against the deadline</h2>
  <p class="muted">Each point is one run of the scenario at that value (the same seed; a value run again to confirm an end has a point per run); click it for its report. Time in the worker where the server's access log gave it, else client latency.</p>
  ${sweepChartSvg(sweep, { value, href })}
</section>
<section class="card" id="steps">
  <h2>Steps</h2>
  <table class="steps">
    <thead><tr><th>${esc(sweep.vary.target)}</th><th>verdict</th><th>worst</th><th>of the deadline</th><th>why it failed</th><th></th></tr></thead>
    <tbody>
${rows}
    </tbody>
  </table>
</section>
</main>
</body>
</html>
`;
}

/** How the ends were confirmed and on which stack: `each end 3 runs, spread 4% · one stack reset between steps`. */
export function confirmLine(sweep: SweepJson): string {
  const ends =
    sweep.repeats > 1
      ? `each end ${sweep.repeats} runs${sweep.confirmed ? '' : ' (not confirmed)'}, spread ${Math.round(sweep.spread * 1000) / 10}%`
      : 'one run a value';
  return `${ends} · ${sweep.stack.reused ? 'one stack reset between steps' : `a fresh stack per step (${sweep.stack.why})`}`;
}
