// Leftovers of a crashed run (containers, networks, stack.compose's volumes) are found by their label and removed; `clean` beside a live run
// removes exactly the dead one; the engine probe answers; a file is read out of an image without
// running it (a symlink followed, a missing file undefined).

import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanLeftovers, cleanRuns } from '../../../src/stack/clean.js';
import { checkEngine } from '../../../src/stack/engine.js';
import { readConfigFileFromImage } from '../../../src/stack/images.js';
import { parseStartTime, runLabels, thisProcess } from '../../../src/stack/run-owner.js';
import { dockerAvailable, imageExists } from '../../support/docker.js';
import { leftovers, uniqueRunId } from './helpers.js';

const ready = dockerAvailable && imageExists('debian:bookworm-slim');

describe.skipIf(!ready)('cleanLeftovers', () => {
  it("removes a stack.compose run's volume after the container that mounts it", async () => {
    const crashed = uniqueRunId('stack-crashed-volume');
    const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).trim();
    const volume = `smokestack-${crashed}-pgdata`;
    docker('volume', 'create', '--label', `smokestack.run=${crashed}`, volume);
    docker(
      'run',
      '-d',
      '--label',
      `smokestack.run=${crashed}`,
      '-v',
      `${volume}:/data`,
      'debian:bookworm-slim',
      'sleep',
      'infinity',
    );
    expect(await cleanLeftovers(crashed)).toEqual({ containers: 1, networks: 0 });
    expect(docker('volume', 'ls', '-q', '--filter', `label=smokestack.run=${crashed}`)).toBe('');
  });

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

describe.skipIf(!ready)('cleanRuns beside a live run', () => {
  it('removes the run whose process was SIGKILLed and the one whose pid was reused, and spares the live one', async () => {
    const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).trim();
    const labelArgs = (labels: Record<string, string>) =>
      Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
    const startRun = (runId: string, labels: Record<string, string>) => {
      docker('network', 'create', ...labelArgs(labels), `${runId}-net`);
      docker(
        'run',
        '-d',
        ...labelArgs(labels),
        '--network',
        `${runId}-net`,
        'debian:bookworm-slim',
        'sleep',
        'infinity',
      );
    };
    const me = thisProcess();
    // A run owned by another process, which then dies by SIGKILL (no teardown of its own).
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const childPid = child.pid!;
    const childStart = parseStartTime(readFileSync(`/proc/${childPid}/stat`, 'utf8'))!;
    const live = uniqueRunId('stack-live');
    const killed = uniqueRunId('stack-killed');
    const reused = uniqueRunId('stack-reused');
    const ids = [live, killed, reused];
    try {
      startRun(live, runLabels(live));
      startRun(killed, runLabels(killed, { ...me, pid: childPid, start: childStart }));
      // This process's pid, but a start time it never had: a dead run whose pid was given again.
      startRun(reused, runLabels(reused, { ...me, start: String(Number(me.start) - 1) }));
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;

      const { removed, spared } = await cleanRuns({ runIds: ids });
      expect(removed.map((d) => d.runId).sort()).toEqual([killed, reused].sort());
      expect(spared.map((d) => [d.runId, d.state])).toEqual([[live, 'alive']]);
      expect(removed.find((d) => d.runId === killed)?.why).toBe(`pid ${childPid} on ${me.host} has exited`);
      expect(leftovers(killed)).toEqual({ containers: [], networks: [] });
      expect(leftovers(reused)).toEqual({ containers: [], networks: [] });
      expect(leftovers(live).containers).toHaveLength(1);
      expect(leftovers(live).networks).toHaveLength(1);
      expect(docker('ps', '--filter', `label=smokestack.run=${live}`, '--format', '{{.State}}')).toBe(
        'running',
      );
    } finally {
      child.kill('SIGKILL');
      for (const id of ids) await cleanLeftovers(id);
    }
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
