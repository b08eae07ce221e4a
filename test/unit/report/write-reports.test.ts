import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../src/report/atomic-write.js';
import { isComparison } from '../../../src/report/compare.js';
import { writeReports } from '../../../src/report/write-reports.js';
import type { RunResult } from '../../../src/result/types.js';
import { hostileResult, SECRETS, sampleResult } from './fixtures.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'smokestack-reports-'));
});

const FILES = ['index.html', 'junit.xml', 'result.json', 'summary.md'];
const read = (...p: string[]) => readFileSync(path.join(...p), 'utf8');
const later = (r: RunResult, minutes: number): RunResult => ({
  ...r,
  runId: `${r.runId}-later${minutes}`,
  startedAt: new Date(Date.parse(r.startedAt) + minutes * 60_000).toISOString(),
});

describe('writeReports', () => {
  it('writes the four files into <outRoot>/<runId>/ and copies them to latest/', async () => {
    const r = sampleResult();
    const out = await writeReports(r, { outRoot: root });
    expect(out.dir).toBe(path.join(root, r.runId));
    expect(readdirSync(out.dir).sort()).toEqual(FILES);
    expect(out.files.map((f) => path.basename(f)).sort()).toEqual(FILES);
    expect(out.latestUpdated).toBe(true);
    for (const f of FILES) expect(read(root, 'latest', f)).toBe(read(out.dir, f));
    expect(JSON.parse(read(out.dir, 'result.json')).runId).toBe(r.runId);
  });

  it('never overwrites an earlier run: the same run id gets a suffixed directory', async () => {
    const first = await writeReports(sampleResult(), { outRoot: root });
    const before = read(first.dir, 'index.html');
    const mtime = statSync(path.join(first.dir, 'index.html')).mtimeMs;
    const changed = sampleResult();
    changed.scenario.description = 'second run';
    const second = await writeReports(changed, { outRoot: root });
    expect(second.dir).toBe(`${first.dir}-2`);
    expect(read(first.dir, 'index.html')).toBe(before);
    expect(statSync(path.join(first.dir, 'index.html')).mtimeMs).toBe(mtime);
    expect(read(second.dir, 'index.html')).toContain('second run');
  });

  it('latest/ holds the newest run, whatever order runs finish in', async () => {
    const r = sampleResult();
    const newer = await writeReports(later(r, 5), { outRoot: root });
    const older = await writeReports(r, { outRoot: root });
    expect(older.latestUpdated).toBe(false);
    expect(JSON.parse(read(root, 'latest', 'result.json')).runId).toBe(path.basename(newer.dir));
    const newest = await writeReports(later(r, 10), { outRoot: root });
    expect(newest.latestUpdated).toBe(true);
    expect(read(root, 'latest', 'index.html')).toBe(read(newest.dir, 'index.html'));
    // No temp files left anywhere.
    for (const dir of readdirSync(root)) expect(readdirSync(path.join(root, dir)).sort()).toEqual(FILES);
  });

  it('redacts secrets in every file it writes', async () => {
    const out = await writeReports(hostileResult(), { outRoot: root });
    for (const f of FILES) {
      const text = read(out.dir, f);
      expect(text, f).not.toContain(SECRETS.apiKey);
      expect(text, f).not.toContain(SECRETS.dbPassword);
    }
  });

  it('keeps run ids inside outRoot', async () => {
    const r = sampleResult();
    r.runId = '../../escape/latest';
    const out = await writeReports(r, { outRoot: root });
    expect(path.dirname(out.dir)).toBe(root);
    expect(path.basename(out.dir)).not.toBe('latest');
  });

  it('with dir: re-renders into that directory and leaves latest/ alone', async () => {
    const dir = path.join(root, 'rerendered', 'here');
    const out = await writeReports(sampleResult(), { outRoot: root, dir });
    expect(out.dir).toBe(dir);
    expect(readdirSync(dir).sort()).toEqual(FILES);
    expect(readdirSync(root).sort()).toEqual(['rerendered']);
    const again = await writeReports(sampleResult(), { dir });
    expect(again.dir).toBe(dir);
  });

  it('with a baseline: the comparison goes into result.json and the report', async () => {
    const baseline = sampleResult();
    const current = sampleResult();
    current.requests.byEndpoint[0]!.latencyMs.p95 *= 2; // p99 needs 500 requests, the fixture has 311
    const out = await writeReports(current, { outRoot: root, baseline });
    const written = JSON.parse(read(out.dir, 'result.json'));
    expect(isComparison(written.comparison)).toBe(true);
    expect(written.comparison.ok).toBe(false);
    expect(read(out.dir, 'index.html')).toContain('id="compare"');
    expect(read(out.dir, 'index.html')).toContain('Latency: p95/p99 by the tolerance alone');
    expect(read(out.dir, 'summary.md')).toContain('### Against the baseline');
    expect(out.comparison?.ok).toBe(false);
  });
});

describe('writeFileAtomic', () => {
  it('replaces a file whole and leaves no temp file', async () => {
    const file = path.join(root, 'a.txt');
    await writeFileAtomic(file, 'one');
    await writeFileAtomic(file, 'two');
    expect(read(file)).toBe('two');
    expect(readdirSync(root)).toEqual(['a.txt']);
  });

  it('fails cleanly (no stray file) when the directory is missing', async () => {
    const file = path.join(root, 'missing-dir', 'a.txt');
    await expect(writeFileAtomic(file, 'x')).rejects.toThrow(/ENOENT/);
  });
});
