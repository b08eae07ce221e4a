// The sweep's one chart as inline SVG, drawn here so index.html needs no script to show it: the
// worst deadline ratio of each step against the varied value, with the warn, critical and deadline
// lines, the last passing and first failing step marked, and each point a link to its step's
// report. Pure: every text goes through escapeXml, every number is ours.
import type { SweepJson } from './sweep-json.js';

export interface ChartLabels {
  /** The varied value as a person reads it: `2.5x`, `40/s`. */
  value: (v: number) => string;
  /** The step's report, relative to index.html. */
  href: (runId: string, resultPath: string) => string;
}

const W = 720;
const H = 320;
const PAD = { left: 56, right: 24, top: 16, bottom: 44 };

export function sweepChartSvg(sweep: SweepJson, labels: ChartLabels): string {
  const steps = sweep.steps;
  const lo = Math.min(sweep.vary.from, ...steps.map((s) => s.value));
  // Up to the highest value run (TO only when the search got there), so the steps near the cliff
  // are not squeezed into the left of a wide range.
  const ran = Math.max(...steps.map((s) => s.value));
  const hi = steps.length > 1 && ran > lo ? ran + (ran - lo) * 0.05 : sweep.vary.to;
  const yMax = Math.max(1.2, ...steps.map((s) => s.ratio * 1.1));
  const x = (v: number) => PAD.left + ((v - lo) / (hi - lo || 1)) * (W - PAD.left - PAD.right);
  const y = (r: number) => H - PAD.bottom - (Math.min(r, yMax) / yMax) * (H - PAD.top - PAD.bottom);
  const out: string[] = [
    `<svg class="sweep-chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="worst deadline ratio against ${escapeXml(sweep.vary.target)}">`,
    `<rect x="${PAD.left}" y="${PAD.top}" width="${W - PAD.left - PAD.right}" height="${H - PAD.top - PAD.bottom}" class="plot"/>`,
  ];
  const levels = [
    { r: sweep.warnAt, label: `warn ${pct(sweep.warnAt)}`, cls: 'warn' },
    { r: sweep.criticalAt, label: `critical ${pct(sweep.criticalAt)}`, cls: 'critical' },
    { r: 1, label: 'deadline', cls: 'deadline' },
  ];
  for (const l of levels)
    out.push(
      `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${f(y(l.r))}" y2="${f(y(l.r))}" class="level ${l.cls}"/>`,
      `<text x="${W - PAD.right - 4}" y="${f(y(l.r) - 4)}" text-anchor="end" class="level-label ${l.cls}">${escapeXml(l.label)}</text>`,
    );
  for (const tick of [0, 0.25, 0.5, 0.75, 1, 1.25].filter((t) => t <= yMax))
    out.push(
      `<text x="${PAD.left - 6}" y="${f(y(tick) + 4)}" text-anchor="end" class="tick">${pct(tick)}</text>`,
    );
  for (const v of ticksOf(lo, hi))
    out.push(
      `<text x="${f(x(v))}" y="${H - PAD.bottom + 16}" text-anchor="middle" class="tick">${escapeXml(labels.value(v))}</text>`,
    );
  out.push(
    `<text x="${f((PAD.left + W - PAD.right) / 2)}" y="${H - 6}" text-anchor="middle" class="axis">${escapeXml(sweep.vary.target)}</text>`,
  );
  // The band first, so the trace and the points are drawn over it.
  if (sweep.lastPassing !== null && sweep.firstFailing !== null)
    out.push(
      `<rect class="cliff" x="${f(x(sweep.lastPassing))}" y="${PAD.top}" width="${f(Math.max(1, x(sweep.firstFailing) - x(sweep.lastPassing)))}" height="${H - PAD.top - PAD.bottom}"><title>the cliff lies here</title></rect>`,
    );
  if (steps.length > 1)
    out.push(
      `<polyline class="trace" points="${steps.map((s) => `${f(x(s.value))},${f(y(s.ratio))}`).join(' ')}"/>`,
    );
  for (const s of steps) {
    const mark =
      s.value === sweep.lastPassing
        ? ' last-passing'
        : s.value === sweep.firstFailing
          ? ' first-failing'
          : '';
    const cls = `point ${s.status === 'passed' ? 'pass' : 'fail'}${mark}`;
    const title = `${labels.value(s.value)}: ${s.status}, worst ${pct(s.ratio)} of the deadline${mark ? ` (${mark.trim().replace('-', ' ')})` : ''}`;
    out.push(
      `<a href="${escapeXml(labels.href(s.runId, s.result))}"><circle cx="${f(x(s.value))}" cy="${f(y(s.ratio))}" r="${mark ? 7 : 5}" class="${cls}"><title>${escapeXml(title)}</title></circle></a>`,
    );
  }
  out.push('</svg>');
  return out.join('\n');
}

function ticksOf(lo: number, hi: number): number[] {
  const n = 5;
  const digits = hi - lo > 10 ? 0 : 3;
  return Array.from({ length: n }, (_, i) => Number((lo + ((hi - lo) * i) / (n - 1)).toFixed(digits)));
}

const f = (n: number) => n.toFixed(1);
const pct = (r: number) => `${Math.round(r * 100)}%`;

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
