import { describe, expect, it } from 'vitest';
import { jsonForScript } from '../../../src/report/chart-data.js';
import { renderHtml } from '../../../src/report/render-html.js';
import { hostileResult, SECRETS, sampleResult, XSS } from './fixtures.js';

function dataSlot(html: string): string {
  const m = /<script type="application\/json" id="data">([\s\S]*?)<\/script>/.exec(html);
  expect(m).not.toBeNull();
  return m![1]!;
}

describe('renderHtml', () => {
  it('renders the incident: verdict, timeout budget, killed request with its log line, every section', async () => {
    const html = await renderHtml(sampleResult());
    expect(html).toMatch(/<div class="word">FAILED<\/div>/);
    expect(html).toContain('30.7 s');
    expect(html).toContain('102%');
    expect(html).toMatch(/<tr data-level="killed">[\s\S]*?WORKER TIMEOUT \(pid:9\)[\s\S]*?<\/tr>/);
    for (const id of [
      'budget',
      'latency',
      'flagged',
      'findings',
      'endpoints',
      'integrity',
      'events',
      'mocks',
      'run',
    ])
      expect(html).toContain(`id="${id}"`);
    expect(html).toContain('chart-latency');
    expect(html).toMatch(/id="checks"[\s\S]*?2 of 8 passed/);
    expect(html).toMatch(/✗ fail<\/td><td class="wrap">integrity: every served movie stored completely/);
    expect(html).toContain('var uPlot=');
  });

  it('is self-contained: no external script, style, image, font or link', async () => {
    const html = await renderHtml(sampleResult());
    expect(html).not.toMatch(/<(script|img|iframe|link)\b[^>]*\b(src|href)=/i);
    expect(html).not.toMatch(/@import|url\(\s*['"]?(https?:)?\/\//i);
    expect(html).toContain("default-src 'none'");
  });

  it('embeds the chart data as one JSON slot that parses back', async () => {
    const r = sampleResult();
    const data = JSON.parse(dataSlot(await renderHtml(r)));
    expect(data.timeline.t).toHaveLength(r.timeline.length);
    expect(data.timeoutMs).toBe(30_000);
    expect(data.warnMs).toBe(15_000);
    expect(data.critMs).toBe(24_000);
    expect(data.events.map((e: { kind: string }) => e.kind)).toContain('worker-timeout');
    expect(data.flagged.level).toContain(3);
  });

  it('jsonForScript cannot close the script element', () => {
    const text = jsonForScript({ s: '</script><!-- \u2028\u2029 & >' });
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual({ s: '</script><!-- \u2028\u2029 & >' });
  });

  it('prints hostile paths, names, log lines and database values as text', async () => {
    const html = await renderHtml(hostileResult());
    for (const s of [XSS.path, XSS.endpoint, XSS.log, XSS.dbValue, XSS.description])
      expect(html).not.toContain(s);
    expect(html).not.toMatch(/<script>window\.__xss/);
    expect(html).not.toMatch(/<img src=x/);
    expect(html).not.toMatch(/<svg onload/);
    expect(html).not.toContain('<iframe');
    expect(html).toContain('/api/import?q=&lt;script&gt;window.__xss=1&lt;/script&gt;');
    expect(html).toContain('&lt;b&gt;580&lt;/b&gt; &amp; &lt;/td&gt;');
    // Exactly our own three script elements: the data slot, uPlot, the client.
    expect(html.match(/<script\b/g)).toHaveLength(3);
    expect(html.match(/<\/script>/g)).toHaveLength(3);
    const data = dataSlot(html);
    expect(data).not.toMatch(/[<>\u2028\u2029]/);
  });

  it('shows the run environment with secrets redacted', async () => {
    const r = hostileResult();
    const html = await renderHtml(r);
    expect(html).not.toContain(SECRETS.apiKey);
    expect(html).toContain('TMDB_API_KEY');
    expect(html).toContain('••••');
    expect(html).not.toContain(SECRETS.dbPassword);
    expect(html).toContain('postgres://••••@postgres:5432/movies');
  });

  it('renders a passing run without flagged requests, and a run with no traffic', async () => {
    const r = sampleResult();
    r.status = 'passed';
    r.findings = [];
    r.flagged = [];
    r.flaggedTotal = { approaching: 0, critical: 0, killed: 0 };
    let html = await renderHtml(r);
    expect(html).toContain('PASSED');
    expect(html).toContain('Every check passed.');
    expect(html).toContain('No request reached the warn level');
    r.timeline = [];
    r.requests = { total: 0, ok: 0, errors: 0, byEndpoint: [] };
    r.histogram = undefined;
    r.target.server.timeoutS = 0;
    html = await renderHtml(r);
    expect(html).toContain('no worker timeout');
  });
});
