// Fault specs of mocked dependencies, from the two places users write them.
//
// CLI (`smokestack mock tmdb --fault SPEC`): comma-separated KEY=VALUE pairs, any order:
//   rateLimit=40/s   requests beyond 40 in a sliding second get 429 + Retry-After (also 600/m)
//   errors=0.01      share of requests answered with an error status (0..1, or a percentage: 1%)
//   status=503       that error status (400..599; default 500)
//   reset=0.001      share of requests whose connection is destroyed without an answer
//   hang=0.001       share of requests never answered until the mock closes
//   errorAt=N, resetAt=N, hangAt=N, rateLimitAt=N   that fault on call number N (1-based,
//                    counted per mock); repeat the key for more calls: hangAt=5,hangAt=9
//   e.g. `rateLimit=40/s,errors=0.01,status=503,reset=0.001,hang=0.001,hangAt=5`
//
// Scenario files (`mocks.<name>.faults`), an object with the same meanings:
//   { rateLimit: 40/s, errors: 0.01, errorStatus: 503, reset: 0.001, hang: 0.001, at: { 5: hang } }
//
// errors + reset + hang must not exceed 1: one draw per call picks at most one of them.

import { parseRate } from '../units/index.js';
import type { FaultSpec } from './types.js';

export type IndexedFault = 'error' | 'reset' | 'hang' | 'rateLimit';
const INDEXED: readonly IndexedFault[] = ['error', 'reset', 'hang', 'rateLimit'];

const CLI_EXAMPLE = 'rateLimit=40/s,errors=0.01,status=503,reset=0.001,hang=0.001,hangAt=5';
const CLI_KEYS = ['rateLimit', 'errors', 'status', 'reset', 'hang', ...INDEXED.map((f) => `${f}At`)];
const OBJECT_KEYS = ['rateLimit', 'errors', 'errorStatus', 'reset', 'hang', 'at'];

/** A bad fault spec; `path` is where (`faults.errors`), `problem` what is wrong. */
export class FaultSpecError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(path ? `${path}: ${problem}` : problem);
    this.name = 'FaultSpecError';
  }
}

/** Parses the CLI form; throws an Error naming the bad pair, with an example of a good spec. */
export function parseFaultSpec(text: string): FaultSpec {
  if (typeof text !== 'string' || text.trim() === '')
    throw new Error(`expected faults like ${CLI_EXAMPLE}, got ${JSON.stringify(text)}`);
  const spec: FaultSpec = {};
  for (const pair of text.split(',')) {
    const m = /^\s*([A-Za-z]+)\s*=\s*(\S+)\s*$/.exec(pair);
    if (!m)
      throw new Error(`expected KEY=VALUE pairs like ${CLI_EXAMPLE}, got ${JSON.stringify(pair.trim())}`);
    const key = m[1] as string;
    const value = m[2] as string;
    const fail = (what: string): never => {
      throw new Error(`${key}: expected ${what}, got ${JSON.stringify(value)} (e.g. ${CLI_EXAMPLE})`);
    };
    switch (key) {
      case 'rateLimit':
        spec.rateLimitPerSecond = rate(value) ?? fail('a rate like 40/s or 600/m');
        break;
      case 'errors':
        spec.errorRate = share(value) ?? fail('a share between 0 and 1, like 0.01 or 1%');
        break;
      case 'reset':
        spec.resetRate = share(value) ?? fail('a share between 0 and 1, like 0.001 or 0.1%');
        break;
      case 'hang':
        spec.hangRate = share(value) ?? fail('a share between 0 and 1, like 0.001 or 0.1%');
        break;
      case 'status':
        spec.errorStatus = status(value) ?? fail('an HTTP error status between 400 and 599, like 503');
        break;
      default: {
        const fault = INDEXED.find((f) => `${f}At` === key);
        if (!fault)
          throw new Error(`unknown fault "${key}" (known: ${CLI_KEYS.join(', ')}); e.g. ${CLI_EXAMPLE}`);
        const index = callIndex(value) ?? fail('a call number (1 or more)');
        spec.atRequests = [...(spec.atRequests ?? []), { index, fault }];
      }
    }
  }
  return checked(spec, '');
}

/**
 * Reads a scenario `faults:` object (YAML already parsed). Throws FaultSpecError with a
 * path-like message, e.g. `faults.errors: expected a share between 0 and 1, got 2`.
 * `path` prefixes the messages (the scenario loader passes `mocks.tmdb.faults`).
 */
export function faultsFromObject(obj: unknown, path = 'faults'): FaultSpec {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj))
    throw new FaultSpecError(
      path,
      `expected an object like { rateLimit: 40/s, errors: 0.01 }, got ${show(obj)}`,
    );
  const spec: FaultSpec = {};
  for (const [key, value] of Object.entries(obj)) {
    const at = `${path}.${key}`;
    const fail = (what: string): never => {
      throw new FaultSpecError(at, `expected ${what}, got ${show(value)}`);
    };
    switch (key) {
      case 'rateLimit':
        spec.rateLimitPerSecond =
          (typeof value === 'number' && value > 0 ? value : rate(value)) ?? fail('a rate like 40/s or 600/m');
        break;
      case 'errors':
        spec.errorRate = share(value) ?? fail('a share between 0 and 1');
        break;
      case 'reset':
        spec.resetRate = share(value) ?? fail('a share between 0 and 1');
        break;
      case 'hang':
        spec.hangRate = share(value) ?? fail('a share between 0 and 1');
        break;
      case 'errorStatus':
        spec.errorStatus = status(value) ?? fail('an HTTP error status between 400 and 599, like 503');
        break;
      case 'at':
        spec.atRequests = indexedFaults(value, at);
        break;
      default:
        throw new FaultSpecError(at, `unknown key (known: ${OBJECT_KEYS.join(', ')})`);
    }
  }
  return checked(spec, path);
}

function indexedFaults(value: unknown, path: string): NonNullable<FaultSpec['atRequests']> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new FaultSpecError(
      path,
      `expected call numbers and faults like { 5: hang, 9: reset }, got ${show(value)}`,
    );
  const out: NonNullable<FaultSpec['atRequests']> = [];
  for (const [k, fault] of Object.entries(value)) {
    const index = callIndex(k);
    if (index === undefined)
      throw new FaultSpecError(`${path}.${k}`, 'expected a call number (1 or more) as the key');
    if (!INDEXED.includes(fault as IndexedFault))
      throw new FaultSpecError(`${path}.${k}`, `expected one of ${INDEXED.join(', ')}, got ${show(fault)}`);
    out.push({ index, fault: fault as IndexedFault });
  }
  return out.sort((a, b) => a.index - b.index);
}

function checked(spec: FaultSpec, path: string): FaultSpec {
  const total = (spec.errorRate ?? 0) + (spec.resetRate ?? 0) + (spec.hangRate ?? 0);
  if (total > 1 + 1e-9) {
    const problem = `errors + reset + hang add up to ${Number(total.toFixed(6))}: together they must not exceed 1`;
    if (path) throw new FaultSpecError(path, problem);
    throw new Error(`${problem} (e.g. ${CLI_EXAMPLE})`);
  }
  return spec;
}

function rate(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return parseRate(value);
  } catch {
    return undefined;
  }
}

/** 0..1, or a percentage string like `1%`. */
function share(value: unknown): number | undefined {
  let n: number | undefined;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(%?)\s*$/.exec(value);
    if (m) n = m[2] ? Number(m[1]) / 100 : Number(m[1]);
  }
  return n !== undefined && Number.isFinite(n) && n >= 0 && n <= 1 ? n : undefined;
}

function status(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 400 && n <= 599 ? n : undefined;
}

function callIndex(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 1 ? n : undefined;
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** Writes a spec in the CLI grammar (for logs and the console). */
export function formatFaultSpec(spec: FaultSpec): string {
  const parts: string[] = [];
  if (spec.rateLimitPerSecond !== undefined) parts.push(`rateLimit=${spec.rateLimitPerSecond}/s`);
  if (spec.errorRate !== undefined) parts.push(`errors=${spec.errorRate}`);
  if (spec.errorStatus !== undefined) parts.push(`status=${spec.errorStatus}`);
  if (spec.resetRate !== undefined) parts.push(`reset=${spec.resetRate}`);
  if (spec.hangRate !== undefined) parts.push(`hang=${spec.hangRate}`);
  for (const a of spec.atRequests ?? []) parts.push(`${a.fault}At=${a.index}`);
  return parts.join(',');
}
