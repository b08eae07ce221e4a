// Lines the server logged before the first request of the traffic (boot, setup, readiness) are
// the stack starting: marked, shown apart, never counted by the verdict. Real lines: bookshelf
// answering 500 while its tables do not exist yet (test/fixtures/gunicorn/bookshelf-no-tables.log).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createLogObserver } from '../../../src/observe/log-observer.js';
import { formatConsoleSummary } from '../../../src/report/console-summary.js';
import { renderHtml } from '../../../src/report/render-html.js';
import { mdText, renderSummaryMd } from '../../../src/report/summary-md.js';
import type { ServerEvent } from '../../../src/result/types.js';
import { defaultBudgets } from '../../../src/scenario/defaults.js';
import { type JudgeInput, judge } from '../../../src/verdict/judge.js';
import { sampleResult } from '../report/fixtures.js';

const lines = readFileSync('test/fixtures/gunicorn/bookshelf-no-tables.log', 'utf8').split('\n');
/** The first request's lines end at the first access line after its traceback. */
const firstRequestEnd = lines.findIndex((l) => l.includes('"GET /books/ HTTP/1.1" 500'));

describe('the log observer marks what arrived before the traffic', () => {
  it('events of lines that arrived before trafficStarted are beforeTraffic, later ones are not', () => {
    const observer = createLogObserver();
    const t0 = Date.parse('2026-12-02T16:19:35Z');
    lines.forEach((line, i) => {
      // The traffic starts once the first failing request and its access line are in.
      if (i === firstRequestEnd + 1) observer.trafficStarted(t0 + i * 10);
      observer.push({ at: t0 + i * 10, source: 'app', line });
    });
    const events = observer.events();
    const boots = events.filter((e) => e.kind === 'worker-boot');
    const errors = events.filter((e) => e.kind === 'error');
    expect(boots).toHaveLength(2);
    expect(boots.every((e) => e.beforeTraffic === true)).toBe(true);
    expect(errors.map((e) => e.beforeTraffic)).toEqual([true, undefined, undefined]);
  });

  it('a traceback that began before the traffic stays before it, however late it is finished', () => {
    const observer = createLogObserver();
    const t0 = Date.parse('2026-12-02T16:19:40Z');
    const tracebackAt = lines.findIndex((l) => l.startsWith('Traceback'));
    lines.slice(tracebackAt, firstRequestEnd).forEach((line, i) => {
      if (i === 5) observer.trafficStarted(t0 + i);
      observer.push({ at: t0 + i, source: 'app', line });
    });
    expect(observer.events()).toEqual([expect.objectContaining({ kind: 'error', beforeTraffic: true })]);
  });
});

const gunicorn = { kind: 'gunicorn', timeoutS: 30, timeoutSource: 'server-default' as const, workers: 2 };
function judged(serverEvents: ServerEvent[]) {
  const input: JudgeInput = {
    scenario: { budgets: defaultBudgets() },
    server: gunicorn,
    requests: { total: 10, ok: 10, errors: 0, byEndpoint: [] },
    flagged: [],
    flaggedTotal: { approaching: 0, critical: 0, killed: 0 },
    serverEvents,
    integrity: [],
  };
  return judge(input);
}

const bootError: ServerEvent = {
  at: '2026-12-02T16:19:40.442Z',
  kind: 'error',
  line: '2026-12-02 16:19:40,442 ERROR django.request [pid:7] Internal Server Error: /books/ — django.db.utils.ProgrammingError: relation "books_book" does not exist',
  source: 'app',
  beforeTraffic: true,
};

describe('the verdict never counts them', () => {
  it("an error before the traffic is no `N errors in the server's log`, one during it is", () => {
    expect(judged([bootError]).findings).toEqual([]);
    const during = { ...bootError, at: '2026-12-02T16:19:50.000Z', beforeTraffic: undefined };
    const v = judged([bootError, during]);
    expect(v.findings.map((f) => f.title)).toEqual(["1 error in the server's log"]);
  });

  it('a worker timeout logged before the traffic fails no check', () => {
    const timeout: ServerEvent = {
      at: '2026-12-02T16:19:38.000Z',
      kind: 'worker-timeout',
      pid: 7,
      line: '[2026-12-02 16:19:38 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:7)',
      source: 'app',
      beforeTraffic: true,
    };
    const v = judged([timeout]);
    expect(v.status).toBe('passed');
    expect(v.checks.find((c) => c.name.startsWith('worker timeouts'))?.passed).toBe(true);
  });
});

describe('the reports show them apart', () => {
  const withBootError = () => {
    const r = sampleResult();
    r.serverEvents.unshift({ ...bootError, at: '2026-11-24T15:44:52.500Z' });
    for (const e of r.serverEvents)
      if (e.kind === 'worker-boot' && e.at < '2026-11-24T15:45') e.beforeTraffic = true;
    return r;
  };

  it('the console says how many errors came before the traffic, and the first of them', () => {
    const text = formatConsoleSummary(withBootError(), { color: false });
    expect(text).toContain(`  before traffic: 1 error in the server's log, not counted: ${bootError.line}`);
    expect(formatConsoleSummary(sampleResult(), { color: false })).not.toContain('before traffic');
  });

  it('summary.md says the same in its table, the log line made safe for Markdown', () => {
    const md = renderSummaryMd(withBootError());
    expect(md).toContain(
      `| before traffic | 1 error in the server's log, not counted: ${mdText(bootError.line)} |`,
    );
    expect(renderSummaryMd(sampleResult())).not.toContain('before traffic');
  });

  it('the HTML report lists them in their own table, apart from the events of the traffic', async () => {
    const html = await renderHtml(withBootError());
    const section = html.slice(
      html.indexOf('<section id="events">'),
      html.indexOf('</section>', html.indexOf('<section id="events">')),
    );
    const apart = section.slice(section.indexOf('id="events-before-traffic"'));
    expect(section).toContain('Before traffic');
    expect(apart).toContain('relation &#34;books_book&#34; does not exist');
    expect(apart).toContain('Booting worker with pid: 8');
    expect(apart).not.toContain('WORKER TIMEOUT');
    const during = section.slice(0, section.indexOf('id="events-before-traffic"'));
    expect(during).toContain('WORKER TIMEOUT (pid:9)');
    expect(during).not.toContain('books_book');
  });
});
