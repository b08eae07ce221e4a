// What a sweep varies: `--vary TARGET=FROM..TO` parsed and checked against the scenario before
// anything starts, and the scenario with that one value changed (pure: a new Scenario, the input
// untouched). Targets:
//   mocks.<name>.latency   a factor on the mock's whole latency distribution (`1x..4x`): every
//                          duration of the spec (fixed, range bounds, p50/p99, later changes,
//                          per-route overrides) is multiplied, so its shape stays the same
//   mocks.<name>.movies    the mock's dataset size (whole movies)
//   load.<phase>.rate      the phase's arrival rate, requests per second (`10/s..80/s`)
//   flows.<flow>.copies    how many copies of the flow run at once (whole copies)

import type { LatencyDist, LatencySpec } from '../behaviour/types.js';
import { UsageError } from '../errors.js';
import type { Scenario } from '../scenario/types.js';

export type TargetKind = 'latency' | 'movies' | 'rate' | 'copies';

export interface Vary {
  /** As written: `mocks.tmdb.latency`. */
  target: string;
  kind: TargetKind;
  /** The mock, phase or flow named in the target. */
  name: string;
  from: number;
  to: number;
  /** Whole numbers only (dataset size, flow copies). */
  integer: boolean;
}

const OPTION = '--vary';
const EXAMPLES =
  'e.g. --vary mocks.tmdb.latency=1x..4x, mocks.tmdb.movies=1000..20000, load.browse.rate=10/s..80/s, flows.import.copies=1..8';

/** Parses `TARGET=FROM..TO` and checks the target exists in the scenario. Throws UsageError (exit 2). */
export function parseVary(text: string, scenario: Scenario): Vary {
  const [target = '', range, extra] = text
    .trim()
    .split('=')
    .map((s) => s.trim());
  const bounds = range?.split('..').map((s) => s.trim());
  if (!target || extra !== undefined || bounds?.length !== 2 || !bounds[0] || !bounds[1])
    throw usage(`${JSON.stringify(text)} is not TARGET=FROM..TO`, EXAMPLES);
  const [fromText, toText] = bounds as [string, string];
  const parts = target.split('.');
  if (parts.length !== 3)
    throw usage(`target ${JSON.stringify(target)} is not one of the four kinds`, EXAMPLES);
  const [section, name, field] = parts as [string, string, string];
  const kind = kindOf(section, field, target);
  checkExists(scenario, section, name, kind, target);
  const from = boundOf(fromText, kind, target);
  const to = boundOf(toText, kind, target);
  if (!(to > from))
    throw usage(
      `${target}: TO (${toText}) must be above FROM (${fromText})`,
      'the sweep grows the value from FROM towards TO',
    );
  if (kind === 'latency' && from <= 0)
    throw usage(`${target}: a latency factor must be above 0x`, 'e.g. 1x..4x');
  const integer = kind === 'movies' || kind === 'copies';
  if (integer && from < 1) throw usage(`${target}: FROM must be at least 1`, 'e.g. 1..8');
  return { target, kind, name, from, to, integer };
}

function kindOf(section: string, field: string, target: string): TargetKind {
  if (section === 'mocks' && (field === 'latency' || field === 'movies')) return field;
  if (section === 'load' && field === 'rate') return 'rate';
  if (section === 'flows' && field === 'copies') return 'copies';
  throw usage(
    `target ${JSON.stringify(target)} cannot be varied`,
    'vary mocks.<name>.latency, mocks.<name>.movies, load.<phase>.rate or flows.<flow>.copies',
  );
}

function checkExists(
  scenario: Scenario,
  section: string,
  name: string,
  kind: TargetKind,
  target: string,
): void {
  const names =
    section === 'mocks'
      ? scenario.mocks.map((x) => x.name)
      : section === 'load'
        ? scenario.load.map((x) => x.name)
        : scenario.flows.map((x) => x.name);
  const where = `${scenario.file} ${section}`;
  if (!names.includes(name))
    throw usage(
      `${target}: ${where} has no ${JSON.stringify(name)}`,
      names.length > 0 ? `it has: ${names.join(', ')}` : `the scenario has no ${section}`,
    );
  if (kind === 'latency' && !scenario.mocks.find((x) => x.name === name)?.latency)
    throw usage(
      `${target}: mocks.${name} has no latency to scale`,
      `give mocks.${name}.latency in ${scenario.file}, e.g. 200ms`,
    );
  if (kind === 'movies' && scenario.mocks.find((x) => x.name === name)?.kind !== 'tmdb')
    throw usage(
      `${target}: mocks.${name} is not a TMDB mock, so it has no dataset size`,
      'vary the latency of a handlers mock instead',
    );
  if (kind === 'rate') {
    const phase = scenario.load.find((x) => x.name === name)!;
    if (phase.ramp)
      throw usage(
        `${target}: load.${name} is a ramp, which has a rate per step`,
        'vary a phase with one rate: rate',
      );
    if (phase.ratePerSecond === undefined && phase.amount !== undefined)
      throw usage(
        `${target}: load.${name} has an amount, not a rate`,
        `give load.${name} a duration and a rate`,
      );
  }
}

/** `2x`, `2.5`, `40/s`, `1000`: the number in the target's unit. */
function boundOf(text: string, kind: TargetKind, target: string): number {
  const suffix = kind === 'latency' ? /x$/i : kind === 'rate' ? /\/s$/ : /$/;
  const n = Number(text.replace(suffix, ''));
  if (!Number.isFinite(n) || n < 0 || text.trim() === '')
    throw usage(`${target}: ${JSON.stringify(text)} is not a ${unitWord(kind)}`, EXAMPLES);
  if ((kind === 'movies' || kind === 'copies') && !Number.isInteger(n))
    throw usage(`${target}: ${JSON.stringify(text)} is not a whole number`, 'e.g. 1..8');
  return n;
}

function unitWord(kind: TargetKind): string {
  return {
    latency: 'factor like 2x',
    movies: 'number of movies',
    rate: 'rate like 40/s',
    copies: 'number of copies',
  }[kind];
}

function usage(message: string, fix: string): UsageError {
  return new UsageError(`${OPTION}: ${message}`, { fix });
}

/** The value as a person reads it in the target's unit: `2.5x`, `40/s`, `1,000`. */
export function formatValue(vary: Pick<Vary, 'kind'>, value: number): string {
  const n = Number(value.toFixed(3));
  if (vary.kind === 'latency') return `${n}x`;
  if (vary.kind === 'rate') return `${n}/s`;
  return new Intl.NumberFormat('en-US').format(n);
}

/** The scenario with the varied value set; nothing else changes. */
export function applyValue(scenario: Scenario, vary: Vary, value: number): Scenario {
  switch (vary.kind) {
    case 'latency':
      return {
        ...scenario,
        mocks: scenario.mocks.map((m) =>
          m.name !== vary.name
            ? m
            : {
                ...m,
                latency: m.latency && scaleLatency(m.latency, value),
                routes: m.routes?.map((r) => ({
                  ...r,
                  latency: r.latency && scaleLatency(r.latency, value),
                })),
              },
        ),
      };
    case 'movies':
      return {
        ...scenario,
        mocks: scenario.mocks.map((m) => (m.name === vary.name ? { ...m, movies: Math.round(value) } : m)),
      };
    case 'rate':
      return {
        ...scenario,
        load: scenario.load.map((p) => (p.name === vary.name ? { ...p, ratePerSecond: value } : p)),
      };
    case 'copies':
      return {
        ...scenario,
        flows: scenario.flows.map((f) => (f.name === vary.name ? { ...f, copies: Math.round(value) } : f)),
      };
  }
}

/** Every duration of the spec times `factor`; when each change comes into force stays as it was. */
export function scaleLatency(spec: LatencySpec, factor: number): LatencySpec {
  return {
    base: scaleDist(spec.base, factor),
    changes: spec.changes.map((c) => ({ afterMs: c.afterMs, dist: scaleDist(c.dist, factor) })),
  };
}

function scaleDist(d: LatencyDist, f: number): LatencyDist {
  // Rounded to a microsecond so 4.1 x 200 ms is the 820 ms a user would write, not 819.999...
  const x = (ms: number) => Number((ms * f).toFixed(3));
  if (d.kind === 'fixed') return { kind: 'fixed', ms: x(d.ms) };
  if (d.kind === 'uniform') return { kind: 'uniform', minMs: x(d.minMs), maxMs: x(d.maxMs) };
  return { kind: 'lognormal', p50Ms: x(d.p50Ms), p99Ms: x(d.p99Ms) };
}
