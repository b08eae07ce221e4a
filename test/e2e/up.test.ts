// `smokestack up` as a developer uses it: the stack comes up, the printed app URL answers, the
// logs follow, and Ctrl-C (SIGINT) tears down every container and network of the run (exit 130).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { startCli, waitForOutput } from '../support/cli.js';
import { dockerAvailable, imageExists } from '../support/docker.js';

const ready = dockerAvailable && imageExists('localmovies:incident');
const env = {
  TESTCONTAINERS_RYUK_DISABLED: 'true',
  TESTCONTAINERS_HOST_OVERRIDE: '127.0.0.1',
  SMOKESTACK_POSTGRES_IMAGE: process.env.SMOKESTACK_POSTGRES_IMAGE ?? 'smokestack/postgres:15',
};

function labelled(kind: 'ps' | 'network', runId: string): string[] {
  const args = kind === 'ps' ? ['ps', '-aq'] : ['network', 'ls', '-q'];
  return execFileSync('docker', [...args, '--filter', `label=smokestack.run=${runId}`], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
}

describe.skipIf(!ready && !process.env.CI)('smokestack up', () => {
  it('prints the URLs, serves the app, follows logs, and SIGINT leaves nothing behind', async () => {
    const up = startCli(['up', 'test/fixtures/scenarios/e2e/incident-small.yaml'], { env });
    await waitForOutput(up.output, (o) => /Ctrl-C tears everything down/.test(o.stdout), 180_000);
    const { stdout } = up.output();
    const app = /^app\s+(http:\/\/127\.0\.0\.1:\d+)$/m.exec(stdout)?.[1];
    const runId = /\(run ([^)]+)\)/.exec(stdout)?.[1];
    expect(app, stdout).toBeDefined();
    expect(stdout).toMatch(/^db\s+postgres:\/\/\S+@127\.0\.0\.1:\d+\/movies$/m);
    expect(stdout).toMatch(/^tmdb\s+http:\/\/127\.0\.0\.1:\d+/m);
    expect(stdout).toMatch(/^tmdb .*; listening on 127\.0\.0\.1, \d+\.\d+\.\d+\.\d+\)$/m);
    expect(stdout).toContain('published ports: 127.0.0.1 only');
    // The lines `up` prints itself (the logs that follow may quote the app's own bind inside its container).
    expect(stdout.split('Ctrl-C tears everything down.')[0]).not.toContain('0.0.0.0');
    expect(stdout).toMatch(/server gunicorn: timeout 30s \(server-default\), 3 workers/);
    const res = await fetch(`${app}/healthz`);
    expect(res.status).toBe(200);
    await waitForOutput(
      up.output,
      (o) => /^app\s+\| .*(Booting worker|GET \/healthz)/m.test(o.stdout),
      10_000,
    );
    expect(labelled('ps', runId!).length).toBeGreaterThanOrEqual(2);
    // What the engine publishes, read back: loopback only.
    const hostIps = execFileSync(
      'docker',
      [
        'inspect',
        '--format',
        '{{range $p, $b := .NetworkSettings.Ports}}{{range $b}}{{.HostIp}} {{end}}{{end}}',
        ...labelled('ps', runId!),
      ],
      { encoding: 'utf8' },
    )
      .split(/\s+/)
      .filter(Boolean);
    expect(new Set(hostIps)).toEqual(new Set(['127.0.0.1']));

    up.child.kill('SIGINT');
    const r = await up.done;
    expect(r.code).toBe(130);
    expect(labelled('ps', runId!)).toEqual([]);
    expect(labelled('network', runId!)).toEqual([]);
  }, 240_000);
});
