import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { compareCommand } from '../../../src/cli/commands/compare.js';
import { reportCommand } from '../../../src/cli/commands/report.js';
import { UsageError } from '../../../src/errors.js';
import { sampleResult } from './fixtures.js';

const sample = new URL('../../fixtures/results/sample-result.json', import.meta.url);

function ctx() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (d) => {
    out += d;
  });
  return { ctx: { stdout, stderr, signal: new AbortController().signal }, out: () => out };
}

describe('reportCommand', () => {
  it('re-renders next to the result file by default, and into --out', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'smokestack-report-cmd-'));
    const file = path.join(dir, 'result.json');
    copyFileSync(sample, file);
    const a = ctx();
    expect(await reportCommand(file, {}, a.ctx)).toBe(0);
    expect(a.out()).toBe(`${path.join(dir, 'index.html')}\n`);
    for (const f of ['index.html', 'junit.xml', 'summary.md'])
      expect(existsSync(path.join(dir, f))).toBe(true);
    const b = ctx();
    const out = path.join(dir, 'out');
    expect(await reportCommand(file, { out }, b.ctx)).toBe(0);
    expect(existsSync(path.join(out, 'index.html'))).toBe(true);
  });

  it('names the file when it is missing, not JSON, or not a result', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'smokestack-report-cmd-'));
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{"schemaVersion": 1, "runId": ');
    const notResult = path.join(dir, 'other.json');
    writeFileSync(notResult, JSON.stringify({ ...sampleResult(), status: 'great' }));
    const { ctx: c } = ctx();
    await expect(reportCommand(path.join(dir, 'nope.json'), {}, c)).rejects.toThrow(
      /nope\.json: no such file/,
    );
    await expect(reportCommand(bad, {}, c)).rejects.toThrow(/bad\.json: not valid JSON/);
    await expect(reportCommand(notResult, {}, c)).rejects.toThrow(/other\.json: status/);
    await expect(reportCommand(notResult, {}, c)).rejects.toBeInstanceOf(UsageError);
  });
});

describe('compareCommand', () => {
  it('returns 0 for a result against itself and 1 on a regression, printing it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'smokestack-compare-cmd-'));
    const base = path.join(dir, 'base.json');
    copyFileSync(sample, base);
    const worse = sampleResult();
    worse.requests.byEndpoint[0]!.latencyMs.p95 *= 2; // 311 requests: enough for a p95
    const cur = path.join(dir, 'cur.json');
    writeFileSync(cur, JSON.stringify(worse));
    const same = ctx();
    expect(await compareCommand(base, base, {}, same.ctx)).toBe(0);
    expect(same.out()).toContain('no regressions');
    const reg = ctx();
    expect(await compareCommand(base, cur, { tolerance: 'latency=10%' }, reg.ctx)).toBe(1);
    expect(reg.out()).toMatch(/✗ p95 of GET \/api\/movies\?page=:page/);
    const loose = ctx();
    expect(await compareCommand(base, cur, { tolerance: 'latency=150%', json: true }, loose.ctx)).toBe(0);
    expect(JSON.parse(loose.out()).ok).toBe(true);
    await expect(compareCommand(base, cur, { tolerance: 'latency=x' }, loose.ctx)).rejects.toBeInstanceOf(
      UsageError,
    );
  });
});
