// Outputs are checked before a run and switched atomically after it: an unwritable --out is a usage
// error naming the path and the reason; latest/ is one symlink to one run's directory, switched by
// a rename, so runs finishing together never mix their files, and an older latest/ directory is
// replaced.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { checkOutDir } from '../../../src/report/check-out-dir.js';
import { writeReports } from '../../../src/report/write-reports.js';
import type { RunResult } from '../../../src/result/types.js';
import { sampleResult } from './fixtures.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'smokestack-outputs-'));
});

const run = (n: number): RunResult => {
  const r = sampleResult();
  return { ...r, runId: `run-${n}`, startedAt: new Date(Date.parse(r.startedAt) + n * 1000).toISOString() };
};

describe('checkOutDir', () => {
  it('refuses a path under a file, and a file, naming the path and the reason', async () => {
    const file = path.join(root, 'a-file');
    writeFileSync(file, 'x');
    const refused = checkOutDir(path.join(file, 'reports'));
    await expect(refused).rejects.toBeInstanceOf(UsageError);
    await expect(refused).rejects.toThrow(
      `--out ${path.join(file, 'reports')}: reports cannot be written there (a part of the path is a file, not a directory)`,
    );
    await expect(checkOutDir(file)).rejects.toThrow(
      /^--out .*a-file: reports cannot be written there \(it is a file/,
    );
  });

  it('accepts a missing directory and leaves nothing behind (a run stopped by a usage error writes nothing)', async () => {
    const out = path.join(root, 'new', 'reports');
    await checkOutDir(out);
    expect(existsSync(path.join(root, 'new'))).toBe(false);
    // The reports create it when they are written.
    const written = await writeReports(run(0), { outRoot: out });
    expect(lstatSync(written.dir).isDirectory()).toBe(true);
  });

  it('leaves an existing directory as it was, without the probe file', async () => {
    const out = path.join(root, 'kept');
    mkdirSync(out);
    await checkOutDir(out);
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('latest/', () => {
  it('is a symlink to the newest run directory, with that run’s files only, even when runs finish together', async () => {
    const written = await Promise.all(
      Array.from({ length: 8 }, (_, i) => writeReports(run(i), { outRoot: root })),
    );
    const latest = path.join(root, 'latest');
    expect(lstatSync(latest).isSymbolicLink()).toBe(true);
    const target = readlinkSync(latest);
    expect(written.map((w) => path.basename(w.dir))).toContain(target);
    const result = JSON.parse(readFileSync(path.join(latest, 'result.json'), 'utf8')) as RunResult;
    expect(result.runId).toBe(target);
    expect(readFileSync(path.join(latest, 'summary.md'), 'utf8')).toBe(
      readFileSync(path.join(root, target, 'summary.md'), 'utf8'),
    );
    expect(readdirSync(root).filter((n) => n.startsWith('.latest'))).toEqual([]);
  });

  it('replaces a latest/ directory written by an older version', async () => {
    mkdirSync(path.join(root, 'latest'));
    writeFileSync(path.join(root, 'latest', 'result.json'), '{"startedAt":"2000-01-01T00:00:00Z"}');
    const w = await writeReports(run(1), { outRoot: root });
    expect(w.latestUpdated).toBe(true);
    expect(readlinkSync(path.join(root, 'latest'))).toBe(path.basename(w.dir));
  });
});
