// Fault injection, signals: SIGINT and SIGTERM at each stage of a real run (mocks, stack, setup,
// traffic, database checks, report writing, teardown). Each exits 130 in bounded time, leaves
// nothing of its run on the engine, and leaves a complete result on disk. The SIGINT and the
// SIGTERM run of a stage go side by side (two concurrent runs on one engine, as on a CI runner).
import { afterAll, describe, expect, it } from 'vitest';
import { dockerAvailable, imageExists } from '../../support/docker.js';
import { type ProbeOutcome, printTable, probe, table } from './probe.js';

const ready = dockerAvailable && imageExists('localmovies:incident');

/** Generous: teardown has a 15 s deadline per step; a healthy one takes 1-3 s, a loaded shared machine several times that. */
const EXIT_WITHIN_S = 60;

const stages: { stage: string; when: RegExp; afterMs: number; hit: string[] }[] = [
  { stage: 'starting mocks', when: /• starting mocks/, afterMs: 500, hit: ['starting mocks'] },
  { stage: 'starting the stack', when: /• starting postgres/, afterMs: 1_000, hit: ['starting postgres'] },
  { stage: 'setup', when: /• setup:/, afterMs: 1_000, hit: ['setup'] },
  { stage: 'traffic', when: /• traffic against/, afterMs: 2_000, hit: ['traffic against'] },
  {
    stage: 'integrity checks',
    when: /• checking the database/,
    afterMs: 1_500,
    hit: ['checking the database'],
  },
  // Writing takes ~100 ms: the signal is sent the moment the stage line arrives; it may land in
  // the teardown right after, which must end the same way.
  {
    stage: 'report writing',
    when: /• writing reports/,
    afterMs: 0,
    hit: ['writing reports', 'tearing down'],
  },
  { stage: 'teardown', when: /• tearing down/, afterMs: 0, hit: ['tearing down'] },
];

function expectClean(o: ProbeOutcome, hit: string[]): void {
  const said = `${o.probe}: ${o.run.stderr}`;
  expect(o.exit, said).toBe(130);
  expect(hit, said).toContain(o.stage);
  expect(o.seconds, said).toBeLessThan(EXIT_WITHIN_S);
  expect(o.leftovers, said).toEqual([]);
  expect(o.resultProblem, said).toBeUndefined();
  expect(o.status, said).toBe('aborted');
}

describe.skipIf(!ready && !process.env.CI)('fault injection: SIGINT and SIGTERM at each stage', () => {
  afterAll(() => printTable('fault table: signals', table));

  it.each(stages)(
    '$stage',
    async ({ stage, when, afterMs, hit }) => {
      const [int, term] = await Promise.all(
        (['SIGINT', 'SIGTERM'] as const).map((signal) =>
          probe({ probe: `${signal} during ${stage}`, when, afterMs, fault: signal }),
        ),
      );
      expectClean(int!, hit);
      expectClean(term!, hit);
    },
    180_000,
  );

  it('a second Ctrl-C right after the first still removes what it can, says so, exits 130', async () => {
    const o = await probe({
      probe: 'SIGINT twice (0.3 s apart) during traffic',
      when: /• traffic against/,
      afterMs: 2_000,
      fault: (pid) => {
        process.kill(pid, 'SIGINT');
        setTimeout(() => process.kill(pid, 'SIGINT'), 300);
      },
    });
    const said = `${o.probe}: ${o.run.stderr}`;
    expect(o.exit, said).toBe(130);
    expect(o.run.stderr, said).toContain('SIGINT again: removing what is left (at most 5s)');
    // Either the forced removal ends the process, or the teardown already running finishes first.
    expect(o.run.stderr, said).toMatch(
      /forced exit; (everything started was torn down|not torn down: .+)|interrupted by SIGINT: everything started was torn down/,
    );
    // The forced removal runs every step at once within 5 s: the containers go.
    expect(o.leftovers, said).toEqual([]);
    expect(o.seconds, said).toBeLessThan(EXIT_WITHIN_S);
    // Whatever was written is whole (atomic writes; temp files removed at exit).
    if (o.resultProblem !== 'no result.json') expect(o.resultProblem, said).toBeUndefined();
  }, 180_000);
});
