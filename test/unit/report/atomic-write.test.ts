// After a SIGKILL the next write of the same file removes the temp files the killed writer left
// (the exit path: test/e2e/temp-files.test.ts).
import { mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { STALE_MS, writeFileAtomic } from '../../../src/report/atomic-write.js';

describe('atomic writes leave no temp files', () => {
  it("the next write of a file removes a killed writer's stale temp files, not a live one's", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'smokestack-atomic-'));
    const file = path.join(dir, 'junit.xml');
    const stale = path.join(dir, '.junit.xml.deadbeef.tmp');
    const fresh = path.join(dir, '.junit.xml.0badf00d.tmp');
    const other = path.join(dir, '.summary.md.deadbeef.tmp');
    for (const f of [stale, fresh, other]) writeFileSync(f, 'half a report');
    const old = (Date.now() - STALE_MS - 60_000) / 1000;
    utimesSync(stale, old, old);
    utimesSync(other, old, old);
    await writeFileAtomic(file, '<testsuites/>');
    expect(readdirSync(dir).sort()).toEqual([
      '.junit.xml.0badf00d.tmp',
      '.summary.md.deadbeef.tmp',
      'junit.xml',
    ]);
  });
});
