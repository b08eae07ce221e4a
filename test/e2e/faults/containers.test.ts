// Fault injection, containers: `docker kill` and `docker pause` of the app and of Postgres in the
// middle of the traffic. Each is an infrastructure error (exit 3) naming the container, in bounded
// time (not after every client timeout), with the result kept (status error) and nothing of the
// run left on the engine — a paused container included. The app and Postgres probes of one fault
// go side by side.
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerAvailable, imageExists } from '../../support/docker.js';
import { containerOf, type FaultRow, type ProbeOutcome, printTable, probe } from './probe.js';

const ready = dockerAvailable && imageExists('localmovies:incident');
const rows: FaultRow[] = [];
const probed: number[] = [];

function expectInfraError(o: ProbeOutcome, message: RegExp): void {
  const said = `${o.probe}: ${o.run.stderr}`;
  expect(o.exit, said).toBe(3);
  expect(o.run.stderr, said).toMatch(message);
  expect(o.seconds, said).toBeLessThan(60);
  expect(o.leftovers, said).toEqual([]);
  expect(o.resultProblem, said).toBeUndefined();
  expect(o.status, said).toBe('error');
  expect(o.result?.meta?.error, said).toMatch(message);
}

async function docker(action: 'kill' | 'pause', name: string) {
  const outcome = await probe({
    probe: `docker ${action} ${name} mid-traffic`,
    when: /• traffic against/,
    afterMs: 1_500,
    fault: async (pid) => {
      probed.push(pid);
      const id = await containerOf(pid, name);
      // cgroup v1's freezer can fail while processes fork ("unable to freeze"): runc gives up at
      // once, so a few tries.
      for (let attempt = 1; ; attempt++) {
        try {
          execFileSync('docker', [action, id], { stdio: 'pipe' });
          return;
        } catch (error) {
          if (attempt === 10) throw error;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    },
  });
  rows.push(outcome);
  return outcome;
}

describe.skipIf(!ready && !process.env.CI)(
  'fault injection: containers killed and paused mid-traffic',
  () => {
    afterAll(() => {
      printTable('fault table: containers', rows);
      // Only if a probe failed: what its run left, found by the probed processes' own label.
      for (const pid of probed) {
        const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=smokestack.owner.pid=${pid}`], {
          encoding: 'utf8',
        }).trim();
        if (ids) execFileSync('docker', ['rm', '-f', ...ids.split('\n')], { stdio: 'pipe' });
      }
    });

    it('docker kill of the app and of postgres: exit 3 naming it, its exit code', async () => {
      const [app, pg] = await Promise.all([docker('kill', 'app'), docker('kill', 'postgres')]);
      expectInfraError(app!, /container app \(localmovies:incident\) exited with code 137 during the run/);
      expectInfraError(pg!, /container postgres \(\S+\) exited with code 137 during the run/);
    }, 180_000);

    it('docker pause of the app and of postgres: exit 3 naming it, the paused container removed', async () => {
      const [app, pg] = await Promise.all([docker('pause', 'app'), docker('pause', 'postgres')]);
      expectInfraError(app!, /container app \(localmovies:incident\) was paused \(docker pause\)/);
      expectInfraError(pg!, /container postgres \(\S+\) was paused \(docker pause\)/);
    }, 180_000);
  },
);
