// The sweep's summary.md (GitHub step-summary ready): the answer in words and one table row per
// step, every value through mdText like a run's summary.md.
import { mdText } from '../report/summary-md.js';
import { formatDuration, formatShare } from '../units/index.js';
import { confirmLine } from './render-html.js';
import type { SweepJson } from './sweep-json.js';
import { formatValue } from './target.js';
import type { AnswerContext } from './words.js';

export function renderSweepMd(sweep: SweepJson, ctx: AnswerContext, answer: string): string {
  const value = (v: number) => formatValue(ctx, v);
  const out = [
    `## ${sweep.lastPassing === null ? '❌' : '✅'} smokestack sweep: ${mdText(sweep.scenario.name)} · ${mdText(sweep.vary.target)}`,
    '',
    mdText(answer),
    '',
    `${sweep.steps.length} runs from ${mdText(value(sweep.vary.from))} to ${mdText(value(sweep.vary.to))}, precision ${mdText(value(sweep.precision))}, ${mdText(confirmLine(sweep))}; ` +
      `margin: ${sweep.margin === null ? 'none' : `${sweep.margin}x of FROM`}; search ended: ${sweep.end}.`,
    '',
    `| ${mdText(sweep.vary.target)} | verdict | worst | of the deadline | why it failed |`,
    '|---:|---|---:|---:|---|',
  ];
  for (const s of sweep.steps) {
    const mark =
      s.value === sweep.lastPassing
        ? ' (last passing)'
        : s.value === sweep.firstFailing
          ? ' (first failing)'
          : '';
    out.push(
      `| ${mdText(value(s.value))} | ${s.status}${mark} | ${formatDuration(s.worstMs)} | ${formatShare(s.ratio)} | ${mdText(s.reason ?? '')} |`,
    );
  }
  out.push('', `<sub>sweep ${mdText(sweep.sweepId)} · chart: index.html next to this file</sub>`, '');
  return out.join('\n');
}
