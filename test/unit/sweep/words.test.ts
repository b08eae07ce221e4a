// The answer in words, and its warning when the steps disagree with the search's assumption
// (the worst ratio rises with the value).
import { describe, expect, it } from 'vitest';
import type { SweepJson, SweepStep } from '../../../src/sweep/sweep-json.js';
import { confirmNote, noiseNote, sweepAnswer } from '../../../src/sweep/words.js';

const step = (
  value: number,
  ratio: number,
  status: SweepStep['status'] = ratio >= 0.8 ? 'failed' : 'passed',
) => ({
  value,
  status,
  worstMs: ratio * 30_000,
  deadlineMs: 30_000,
  ratio,
  result: `steps/r${value}/result.json`,
  runId: `r${value}`,
  ...(status === 'failed' ? { reason: '1 worker timeout: gunicorn killed a worker (allowed: 0)' } : {}),
});

function sweep(steps: SweepStep[], lastPassing: number | null, firstFailing: number | null): SweepJson {
  return {
    schemaVersion: 1,
    sweepId: 's',
    startedAt: '',
    finishedAt: '',
    scenario: { name: 'x', file: 'x.yaml' },
    vary: { target: 'mocks.tmdb.movies', from: 400, to: 10_000 },
    precision: 200,
    maxRuns: 7,
    repeats: 1,
    stack: { reused: false, why: 'fresh stacks asked for' },
    steps,
    lastPassing,
    firstFailing,
    confirmed: true,
    mixed: [],
    spread: 0,
    margin: lastPassing === null ? null : lastPassing / 400,
    end: 'boundary',
    warnAt: 0.5,
    criticalAt: 0.8,
  };
}

describe('sweepAnswer', () => {
  it('says how far the value may grow and what fails past it', () => {
    const s = sweep([step(400, 0.26), step(1000, 0.66), step(1200, 0.85), step(1600, 0.9)], 1000, 1200);
    expect(sweepAnswer(s, { kind: 'movies', name: 'tmdb' })).toBe(
      "TMDB's dataset may grow to 1,000 movies and the scenario still passes (the worst request took 19.8 s, 66% of the 30 s deadline); at 1,200 it fails: 1 worker timeout: gunicorn killed a worker (allowed: 0).",
    );
  });

  it('warns when the worst ratio falls as the value grows (runs near the cliff vary)', () => {
    const s = sweep([step(400, 0.26), step(1000, 0.66), step(1200, 1.03), step(1400, 0.84)], 1000, 1200);
    expect(noiseNote(s, { kind: 'movies' })).toBe(
      ' The worst ratio fell from 103% at 1,200 to 84% at 1,400, so runs near the cliff vary (a busy machine, a noisy dependency). Confirm the margin with plain runs at 1,000 and 1,200.',
    );
    expect(sweepAnswer(s, { kind: 'movies', name: 'tmdb' })).toContain('The worst ratio fell from 103%');
  });

  it('warns when a step above the first failure passed, and is silent on a clean rise', () => {
    const s = sweep([step(1000, 0.66), step(1200, 0.85), step(1400, 0.7, 'passed')], 1000, 1200);
    expect(noiseNote(s, { kind: 'movies' })).toMatch(
      /^ The steps disagree: 1,400 passed above the first failure/,
    );
    expect(noiseNote(sweep([step(1000, 0.66), step(1200, 0.85)], 1000, 1200), { kind: 'movies' })).toBe('');
  });
});

describe('confirmNote', () => {
  it('names the spread and the values between the ends, with their tallies', () => {
    const s = {
      ...sweep(
        [
          step(1.2, 0.66),
          step(1.2, 0.65),
          step(1.4, 0.78),
          step(1.4, 0.76),
          step(1.6, 0.88),
          step(1.6, 0.86),
        ],
        1.2,
        1.6,
      ),
      vary: { target: 'mocks.tmdb.latency', from: 1, to: 2.5 },
      repeats: 2,
      spread: 0.037,
    };
    expect(confirmNote(s, { kind: 'latency' })).toBe(
      ' Each end held on all 2 of its runs, clear of the critical level by 15% (the least the sweep assumes; runs of one value moved by 3.7%). Between them 1.4x passed 2 of 2: too close to the cliff to call on this machine.',
    );
  });
});

describe('sweepAnswer when no value holds', () => {
  it('FROM passed but not clear of the spread: no margin to confirm, not "fails at FROM"', () => {
    const s = {
      ...sweep([step(1, 0.61), step(1, 0.73), step(2, 1.1)], null, 2),
      vary: { target: 'mocks.tmdb.latency', from: 1, to: 2.5 },
      repeats: 3,
      spread: 0.32,
    };
    const answer = sweepAnswer(s, { kind: 'latency', name: 'tmdb' });
    expect(answer).toMatch(/^No value held on all of its runs, not even 1x \(FROM\)/);
    expect(answer).toContain('moved by 32% between runs');
    expect(answer).toContain('at 2x it fails on every run');
    expect(answer).not.toContain('already fails');
  });
});
