// Temp files of atomic report writes go when the process exits in the middle of a write (a second
// Ctrl-C is process.exit): the built module (dist/, as the CLI runs it) in a child process.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const built = fileURLToPath(new URL('../../dist/report/atomic-write.js', import.meta.url));

describe('atomic writes leave no temp files', () => {
  it('a process that exits in the middle of a write removes its temp file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'smokestack-atomic-'));
    const file = path.join(dir, 'junit.xml');
    // 200 MB: the write and fsync outlast the 20 ms before the exit.
    const script = `
      const { writeFileAtomic } = await import(${JSON.stringify(built)});
      void writeFileAtomic(${JSON.stringify(file)}, 'x'.repeat(200 * 1024 * 1024));
      setTimeout(() => process.exit(130), 20);
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(130);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});
