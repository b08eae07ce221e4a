// Fault injection around the run: a hung engine socket (DOCKER_HOST at a unix socket this test
// serves, which accepts and never answers), the same with Ctrl-C while the engine is asked, an
// unwritable --out, and two concurrent runs with `smokestack clean` beside them (it must spare the
// live run; both still pass). Each row: exit code, seconds to exit, leftovers of that run, result.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, runCli } from '../../support/cli.js';
import { dockerAvailable, imageExists } from '../../support/docker.js';
import { dockerEnv, type FaultRow, printTable, probe, STAGES_SCENARIO } from './probe.js';

const ready = dockerAvailable && imageExists('localmovies:incident');
const rows: FaultRow[] = [];
const scratch = mkdtempSync(path.join(tmpdir(), 'smokestack-faults-'));
const socketPath = path.join(scratch, 'hung-engine.sock');
const sockets = new Set<net.Socket>();
const hung = net.createServer((socket) => {
  // Accept, read, never reply.
  sockets.add(socket);
  socket.on('data', () => {});
  socket.on('error', () => {});
});

describe.skipIf(!ready && !process.env.CI)('fault injection: engine, outputs, concurrency', () => {
  beforeAll(() => new Promise<void>((resolve) => hung.listen(socketPath, resolve)));
  afterAll(async () => {
    printTable('fault table: engine, outputs, concurrency', rows);
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => hung.close(resolve));
    rmSync(scratch, { recursive: true, force: true });
  });

  it('a hung engine socket: exit 3 naming DOCKER_HOST within the engine deadline, result kept', async () => {
    const o = await probe({ probe: 'hung engine socket', env: { DOCKER_HOST: `unix://${socketPath}` } });
    rows.push(o);
    expect(o.exit, o.run.stderr).toBe(3);
    expect(o.run.stderr).toContain(
      `DOCKER_HOST=unix://${socketPath}: no container engine answered within 10s`,
    );
    expect(sockets.size).toBeGreaterThan(0);
    // The engine deadline (10 s) plus start-up and teardown, on a loaded machine.
    expect(o.seconds).toBeLessThan(45);
    expect(o.leftovers).toEqual([]);
    expect(o.resultProblem).toBeUndefined();
    expect(o.status).toBe('error');
  }, 60_000);

  it('Ctrl-C while a hung engine is asked: 130 at once', async () => {
    const o = await probe({
      probe: 'SIGINT while a hung engine is asked',
      env: { DOCKER_HOST: `unix://${socketPath}` },
      when: /• checking the container engine/,
      afterMs: 1_000,
      fault: 'SIGINT',
    });
    rows.push(o);
    expect(o.exit, o.run.stderr).toBe(130);
    // Well under the engine's 10 s deadline, which the run used to wait out.
    expect(o.seconds).toBeLessThan(8);
    expect(o.leftovers).toEqual([]);
    expect(o.resultProblem).toBeUndefined();
    expect(o.status).toBe('aborted');
  }, 60_000);

  it.each([
    ['under a file', (file: string) => path.join(file, 'reports'), /a part of the path is a file/],
    ['a file', (file: string) => file, /is a file|not a directory/],
  ])(
    'an unwritable --out (%s): exit 2 naming it before anything starts',
    async (what, outOf, reason) => {
      const file = path.join(scratch, `plain-${what.replace(/\W/g, '-')}`);
      writeFileSync(file, 'not a directory\n');
      const out = outOf(file);
      const o = await probe({
        probe: `unwritable --out (${what})`,
        args: ['run', STAGES_SCENARIO, '--out', out],
      });
      rows.push(o);
      expect(o.exit, o.run.stderr).toBe(2);
      expect(o.run.stderr).toContain(`--out ${out}: reports cannot be written there`);
      expect(o.run.stderr).toMatch(reason);
      expect(o.run.stderr).not.toContain('• starting');
      expect(o.seconds).toBeLessThan(30);
      expect(o.leftovers).toEqual([]);
    },
    60_000,
  );

  it('two concurrent runs, and `clean` beside them: clean spares the live run, both pass', async () => {
    let clean: CliRun | undefined;
    let liveRunId = '';
    // SMOKESTACK_RUN_TAG (as .ci/run sets it) labels what the run starts.
    const tag = `faults-${process.pid}-${Date.now()}`;
    let tagged = 0;
    const cleanBeside = async (pid: number) => {
      const { execFileSync } = await import('node:child_process');
      liveRunId = execFileSync(
        'docker',
        ['ps', '--filter', `label=smokestack.owner.pid=${pid}`, '--format', '{{.Label "smokestack.run"}}'],
        { encoding: 'utf8' },
      )
        .trim()
        .split('\n')[0]!;
      tagged = execFileSync('docker', ['ps', '-q', '--filter', `label=smokestack.tag=${tag}`], {
        encoding: 'utf8',
      })
        .trim()
        .split('\n')
        .filter(Boolean).length;
      // Scoped to the live run by --run: this shared engine has other people's runs on it.
      clean = await runCli(['clean', '--run', liveRunId], { env: dockerEnv });
    };
    const [a, b] = await Promise.all([
      probe({
        probe: 'concurrent run A, clean beside it',
        env: { SMOKESTACK_RUN_TAG: tag },
        when: /• traffic against/,
        afterMs: 1_000,
        fault: cleanBeside,
      }),
      probe({ probe: 'concurrent run B', when: /• traffic against/, fault: () => {} }),
    ]);
    rows.push(a, b);
    expect(tagged).toBe(2);
    expect(clean?.code, clean?.stderr).toBe(0);
    expect(clean!.stdout).toMatch(
      new RegExp(`spared {2}run ${liveRunId}: 2 containers, 1 network \\(pid \\d+ on .+ is running\\)`),
    );
    expect(clean!.stdout).toContain('removed 0 containers and 0 networks of 0 runs; spared 1 run');
    for (const o of [a, b]) {
      expect(o.exit, o.run.stderr).toBe(0);
      expect(o.status).toBe('passed');
      expect(o.leftovers).toEqual([]);
      expect(o.resultProblem).toBeUndefined();
    }
    expect(a.runId).toBe(liveRunId);
    expect(a.runId).not.toBe(b.runId);
  }, 180_000);
});
