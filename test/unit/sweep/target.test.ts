// --vary TARGET=FROM..TO: parsed and checked against the scenario before anything starts (exit 2,
// naming the option, the target and what exists), and the scenario with one value changed.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { parseScenario } from '../../../src/scenario/load-scenario.js';
import { applyValue, formatValue, parseVary } from '../../../src/sweep/target.js';

const scenario = parseScenario(
  `name: s
mocks:
  tmdb:
    movies: 1000
    latency: "p50=200ms,p99=800ms; 2s after 30s"
    routes: { "/3/movie/:id": { latency: 100ms } }
  pay: { module: ./h.js }
load:
  - { name: browse, duration: 5s, rate: 20/s, requests: [{ method: GET, path: / }] }
  - { name: once, amount: 10, requests: [{ method: GET, path: / }] }
flows:
  - { name: import, steps: [{ method: POST, path: /import }] }
`,
  'scenarios/s.yaml',
);

function usageMessage(text: string): string {
  try {
    parseVary(text, scenario);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    const e = error as UsageError;
    return `${e.message} | ${e.fix}`;
  }
  throw new Error(`${text} was accepted`);
}

describe('parseVary', () => {
  it('reads the four kinds with their units', () => {
    expect(parseVary('mocks.tmdb.latency=1x..4x', scenario)).toMatchObject({
      kind: 'latency',
      name: 'tmdb',
      from: 1,
      to: 4,
      integer: false,
    });
    expect(parseVary('mocks.tmdb.movies=1000..20000', scenario)).toMatchObject({
      kind: 'movies',
      from: 1000,
      to: 20000,
      integer: true,
    });
    expect(parseVary('load.browse.rate=10/s..80/s', scenario)).toMatchObject({
      kind: 'rate',
      from: 10,
      to: 80,
    });
    expect(parseVary('flows.import.copies=1..8', scenario)).toMatchObject({ kind: 'copies', from: 1, to: 8 });
    expect(parseVary('mocks.tmdb.latency=1.5x..2.5x', scenario)).toMatchObject({ from: 1.5, to: 2.5 });
  });

  it('names the option, the target and what exists', () => {
    expect(usageMessage('mocks.stripe.latency=1x..2x')).toBe(
      '--vary: mocks.stripe.latency: scenarios/s.yaml mocks has no "stripe" | it has: tmdb, pay',
    );
    expect(usageMessage('load.checkout.rate=1/s..2/s')).toMatch(/has no "checkout" \| it has: browse, once/);
    expect(usageMessage('flows.export.copies=1..2')).toMatch(/has no "export" \| it has: import/);
    expect(usageMessage('mocks.tmdb.timeout=1..2')).toMatch(/cannot be varied \| vary mocks.<name>.latency/);
    expect(usageMessage('mocks.pay.latency=1x..2x')).toMatch(/mocks.pay has no latency to scale/);
    expect(usageMessage('mocks.pay.movies=1..2')).toMatch(/not a TMDB mock/);
    expect(usageMessage('load.once.rate=1/s..2/s')).toMatch(/has an amount, not a rate/);
  });

  it('refuses a malformed or empty range', () => {
    expect(usageMessage('mocks.tmdb.latency')).toMatch(/is not TARGET=FROM..TO/);
    expect(usageMessage('mocks.tmdb.latency=1x-4x')).toMatch(/is not TARGET=FROM..TO/);
    expect(usageMessage('mocks.tmdb.latency=4x..1x')).toMatch(/TO \(1x\) must be above FROM \(4x\)/);
    expect(usageMessage('mocks.tmdb.latency=fast..4x')).toMatch(/"fast" is not a factor like 2x/);
    expect(usageMessage('flows.import.copies=1.5..3')).toMatch(/not a whole number/);
  });
});

describe('applyValue', () => {
  it('scales the whole latency distribution, later changes and per-route overrides, keeping when they start', () => {
    const s = applyValue(scenario, parseVary('mocks.tmdb.latency=1x..4x', scenario), 2);
    const tmdb = s.mocks.find((m) => m.name === 'tmdb')!;
    expect(tmdb.latency).toEqual({
      base: { kind: 'lognormal', p50Ms: 400, p99Ms: 1600 },
      changes: [{ afterMs: 30_000, dist: { kind: 'fixed', ms: 4000 } }],
    });
    expect(tmdb.routes![0]!.latency!.base).toEqual({ kind: 'fixed', ms: 200 });
    // The input is untouched: every step starts from the same scenario.
    expect(scenario.mocks[0]!.latency!.base).toEqual({ kind: 'lognormal', p50Ms: 200, p99Ms: 800 });
  });

  it('sets the dataset size, the rate and the copies', () => {
    expect(applyValue(scenario, parseVary('mocks.tmdb.movies=1..9', scenario), 4000).mocks[0]!.movies).toBe(
      4000,
    );
    expect(
      applyValue(scenario, parseVary('load.browse.rate=1/s..9/s', scenario), 35).load[0]!.ratePerSecond,
    ).toBe(35);
    expect(applyValue(scenario, parseVary('flows.import.copies=1..9', scenario), 6).flows[0]!.copies).toBe(6);
  });

  it('formats values in the unit of the target', () => {
    expect(formatValue({ kind: 'latency' }, 1.9000000001)).toBe('1.9x');
    expect(formatValue({ kind: 'rate' }, 40)).toBe('40/s');
    expect(formatValue({ kind: 'movies' }, 20000)).toBe('20,000');
  });
});

describe('scaled latency', () => {
  it('is what a user would write: 4.1 x 200 ms is 820 ms', () => {
    const s = applyValue(scenario, parseVary('mocks.tmdb.latency=1x..5x', scenario), 4.1);
    expect(s.mocks[0]!.latency!.base).toEqual({ kind: 'lognormal', p50Ms: 820, p99Ms: 3280 });
  });
});
