// Leftovers of a crashed run are found by their label and removed; the engine probe answers;
// a file is read out of an image without running it (a symlink followed, a missing file undefined).

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cleanLeftovers } from '../../../src/stack/clean.js';
import { checkEngine } from '../../../src/stack/engine.js';
import { readConfigFileFromImage } from '../../../src/stack/images.js';
import { dockerAvailable, imageExists } from '../../support/docker.js';
import { leftovers, uniqueRunId } from './helpers.js';

const ready = dockerAvailable && imageExists('debian:bookworm-slim');

describe.skipIf(!ready)('cleanLeftovers', () => {
  it('removes the containers and networks of one run, and leaves other runs alone', () => {
    const crashed = uniqueRunId('stack-crashed');
    const other = uniqueRunId('stack-other');
    const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).trim();
    docker('network', 'create', '--label', `smokestack.run=${crashed}`, `${crashed}-net`);
    docker(
      'run',
      '-d',
      '--label',
      `smokestack.run=${crashed}`,
      '--network',
      `${crashed}-net`,
      'debian:bookworm-slim',
      'sleep',
      'infinity',
    );
    docker('create', '--label', `smokestack.run=${crashed}`, 'debian:bookworm-slim', 'true');
    docker('create', '--label', `smokestack.run=${other}`, 'debian:bookworm-slim', 'true');
    return (async () => {
      try {
        expect(await cleanLeftovers(crashed)).toEqual({ containers: 2, networks: 1 });
        expect(leftovers(crashed)).toEqual({ containers: [], networks: [] });
        expect(leftovers(other).containers).toHaveLength(1);
        expect(await cleanLeftovers(crashed)).toEqual({ containers: 0, networks: 0 });
      } finally {
        await cleanLeftovers(other);
      }
      expect(leftovers(other).containers).toHaveLength(0);
    })();
  });
});

describe.skipIf(!dockerAvailable)('checkEngine', () => {
  it('resolves when the engine answers', async () => {
    await expect(checkEngine()).resolves.toBeDefined();
  });
});

describe.skipIf(!ready)('readConfigFileFromImage', () => {
  const runId = uniqueRunId('stack-read');
  it('reads a file, follows a symlink, and answers undefined for a missing one; removes its container', async () => {
    const labels = { 'smokestack.run': runId };
    expect(await readConfigFileFromImage('debian:bookworm-slim', '/etc/debian_version', labels)).toMatch(
      /^12\./,
    );
    // /etc/os-release -> ../usr/lib/os-release
    expect(await readConfigFileFromImage('debian:bookworm-slim', '/etc/os-release', labels)).toContain(
      'bookworm',
    );
    expect(
      await readConfigFileFromImage('debian:bookworm-slim', '/app/gunicorn.conf.py', labels),
    ).toBeUndefined();
    expect(leftovers(runId).containers).toEqual([]);
  });
});
