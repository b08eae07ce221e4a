import { describe, expect, it } from 'vitest';
import { compareResults } from '../../../src/report/compare.js';
import { formatConsoleSummary } from '../../../src/report/console-summary.js';
import { mdText, renderSummaryMd } from '../../../src/report/summary-md.js';
import { hostileResult, sampleResult, XSS } from './fixtures.js';

describe('renderSummaryMd', () => {
  it('gives the verdict, key numbers, flagged counts, top flagged and findings', () => {
    const md = renderSummaryMd(sampleResult());
    expect(md).toMatch(/^## ❌ smokestack FAILED: tmdb-import-incident/);
    expect(md).toContain('| requests | 393 (1 errors, 0.25%) |');
    expect(md).toContain('30.7 s = 102% of the timeout');
    expect(md).toContain('**1** killed · **1** critical · **2** approaching');
    expect(md).toContain('| database checks | 1 of 3 passed |');
    expect(md).toContain('| all checks | 2 of 8 passed |');
    expect(md).toContain('- flow import: failed at import all pages');
    const rows = md.split('\n').filter((l) => /^\| (killed|critical|approaching) \|/.test(l));
    expect(rows[0]).toMatch(/^\| killed .*30\.7 s .*WORKER TIMEOUT/);
    expect(rows).toHaveLength(4);
    expect(md).toContain('- **FAIL** 1 worker timeout');
    expect(md).toContain('*What to do:*');
  });

  it('neutralises HTML and Markdown in values', () => {
    const md = renderSummaryMd(hostileResult());
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('<img');
    expect(md).not.toContain('<svg');
    for (const line of md.split('\n').filter((l) => l.startsWith('| killed'))) {
      // Columns stay intact: 8 cells, so 9 unescaped pipes.
      expect(line.replace(/\\\|/g, '').split('|')).toHaveLength(10);
    }
    expect(mdText('a|b <i>*x*</i>\nc')).toBe('a\\|b &lt;i&gt;\\*x\\*&lt;/i&gt; c');
  });
});

describe('formatConsoleSummary', () => {
  it('prints the verdict, totals, slowest vs timeout, flagged counts, findings and the report path', () => {
    const text = formatConsoleSummary(sampleResult(), { color: false, reportDir: 'reports/run-1' });
    expect(text.split('\n')[0]).toMatch(/^FAILED {2}tmdb-import-incident/);
    expect(text).toContain('requests  393 · 1 errors (0.25%)');
    expect(text).toContain(
      "timeout   30 s (the server's default) · slowest request 30.7 s = 102% of the timeout",
    );
    expect(text).toContain('1 killed · 1 critical · 2 approaching · worker timeouts 1');
    expect(text).toContain('FAIL  1 worker timeout');
    expect(text.trimEnd().split('\n').at(-1)).toBe('  report    reports/run-1/index.html');
    expect(text).not.toContain('\u001b[');
  });

  it('colours only when asked, and never passes control characters from the run through', () => {
    expect(formatConsoleSummary(sampleResult(), { color: true })).toContain('\u001b[31m');
    const text = formatConsoleSummary(hostileResult(), { color: false });
    expect(text).toContain('hostile bell');
    for (const ch of ['\u0000', '\u0007', '\u001b']) expect(text).not.toContain(ch);
    expect(XSS.control).toContain('\u001b');
  });
});

describe('the comparison with --baseline in both summaries', () => {
  // A p95 regression on the browse endpoint (311 requests: enough for p95), a p99 note (not
  // enough samples for it) and a hostile endpoint name, as compareResults writes them.
  const withComparison = () => {
    const baseline = sampleResult();
    const current = hostileResult();
    current.requests.byEndpoint[0]!.latencyMs.p95 *= 2;
    const comparison = compareResults(baseline, current);
    comparison.regressions[0]!.interval = { low: 40.5, high: 130 };
    current.comparison = comparison;
    return current;
  };

  it('summary.md has the regressions with their interval, the notes and the rule', () => {
    const md = renderSummaryMd(withComparison());
    expect(md).toContain('### Against the baseline');
    expect(md).toMatch(/❌ \*\*1 regression\*\* against run /);
    expect(md).toMatch(
      /^\| ❌ worse \| p95 · GET \/api\/movies\?page=:page \| 112 ms \| 224 ms \| \+100%, \+112 ms \| 99% interval \+41 ms … \+130 ms \|$/m,
    );
    expect(md).toMatch(/^- p99 of .*: not enough samples \\\(311 and 311; need 500\\\)$/m);
    expect(md).toContain('<sub>latency: p95/p99 by the tolerance alone');
    expect(md).not.toContain('<svg');
  });

  it('the terminal summary lists them before the report path, one line each, no control characters', () => {
    const text = formatConsoleSummary(withComparison(), { color: false, reportDir: 'reports/run-1' });
    expect(text).toMatch(/\n {2}baseline {2}\S+: 1 regression\n/);
    expect(text).toMatch(
      /\n {4}✗ p95 of GET .*: 112 ms → 224 ms \(\+100%, \+112 ms; 99% interval \+41 ms … \+130 ms\)\n/,
    );
    expect(text).toContain('    note: p99 of');
    expect(text.trimEnd().split('\n').at(-1)).toBe('  report    reports/run-1/index.html');
    for (const ch of ['\u0000', '\u0007', '\u001b']) expect(text).not.toContain(ch);
    const none = sampleResult();
    none.comparison = compareResults(sampleResult(), sampleResult());
    expect(formatConsoleSummary(none, { color: false })).toMatch(/baseline {2}\S+: no regression/);
  });
});
