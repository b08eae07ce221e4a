// Outputs first: an --out under a file is refused before anything starts (exit 2 naming the path
// and the reason, no container, no engine needed); a usage error found at run time writes no
// report folder and leaves latest/ as it was.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

describe('outputs checked first', () => {
  it('an --out under a file: exit 2 naming the path and why, before the engine is asked', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'smokestack-out-'));
    const file = path.join(dir, 'plain-file');
    writeFileSync(file, 'x');
    const out = path.join(file, 'reports');
    // A dead engine: were anything started first, the error would be the engine's (exit 3).
    const r = await runCli(['run', 'test/fixtures/scenarios/e2e/app-dies.yaml', '--out', out], {
      env: { DOCKER_HOST: 'unix:///tmp/smokestack-no-engine-here.sock' },
    });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      `--out ${out}: reports cannot be written there (a part of the path is a file, not a directory)`,
    );
  });

  it('a usage error found at run time writes no report folder', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'smokestack-out-'));
    const r = await runCli(['run', 'test/fixtures/scenarios/cli/no-app.yaml', '--out', out]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('stack.app is missing');
    expect(readdirSync(out)).toEqual([]);
  });
});
