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

import { z } from 'zod';
import { parseRate } from '../units/index.js';
import type { FaultSpec } from './types.js';

export type IndexedFault = 'error' | 'reset' | 'hang' | 'rateLimit';
const INDEXED: readonly IndexedFault[] = ['error', 'reset', 'hang', 'rateLimit'];

const CLI_EXAMPLE = 'rateLimit=40/s,errors=0.01,status=503,reset=0.001,hang=0.001,hangAt=5';
const CLI_KEYS = ['rateLimit', 'errors', 'status', 'reset', 'hang', ...INDEXED.map((f) => `${f}At`)];
const OBJECT_KEYS = ['rateLimit', 'errors', 'errorStatus', 'reset', 'hang', 'at'];
/** The CLI's names for the object's keys, where they differ. */
const CLI_NAME: Record<string, string> = { errorStatus: 'status' };

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

// ---- The one validator of a fault spec: a zod schema of the object form. The scenario field
// (src/scenario/fields.ts) is this schema; the CLI form is turned into the object form first.

/** A value the schema reads with `read`, or a custom issue saying what was expected. */
const readAs = <T>(what: string, read: (value: unknown) => T | undefined) =>
  z
    .union([z.string(), z.number()], { error: (issue) => `expected ${what}, got ${show(issue.input)}` })
    .transform((value, ctx): T => {
      const out = read(value);
      if (out === undefined) {
        ctx.addIssue({ code: 'custom', message: `expected ${what}, got ${show(value)}` });
        return z.NEVER;
      }
      return out;
    });

const SHARE = 'a share between 0 and 1, like 0.01 or 1%';
const atRequests = z
  .record(
    z.string().regex(/^[1-9]\d*$/, {
      error: (issue) => `expected a call number (1 or more) as the key, got ${show(issue.input)}`,
    }),
    z.enum(INDEXED as [IndexedFault, ...IndexedFault[]], {
      error: (issue) => `expected one of ${INDEXED.join(', ')}, got ${show(issue.input)}`,
    }),
    {
      error: (issue) =>
        issue.code === 'invalid_key'
          ? 'expected a call number (1 or more) as the key'
          : `expected call numbers and faults like { 5: hang, 9: reset }, got ${show(issue.input)}`,
    },
  )
  .transform(
    (value): NonNullable<FaultSpec['atRequests']> =>
      Object.entries(value)
        .map(([k, fault]) => ({ index: Number(k), fault }))
        .sort((a, b) => a.index - b.index),
  );

/** `mocks.<name>.faults` as scenario files write it, read into a FaultSpec. */
export const faultSpecSchema = z
  .strictObject(
    {
      rateLimit: readAs('a rate like 40/s or 600/m', (v) =>
        typeof v === 'number' ? (v > 0 ? v : undefined) : rate(v),
      )
        .optional()
        .meta({ description: 'Requests beyond this rate get 429 + Retry-After, e.g. 40/s' }),
      errors: readAs(SHARE, share)
        .optional()
        .meta({ description: 'Share of requests answered with errorStatus' }),
      errorStatus: readAs('an HTTP error status between 400 and 599, like 503', status)
        .optional()
        .meta({ description: 'Status of injected errors (default 500)' }),
      reset: readAs(SHARE, share)
        .optional()
        .meta({ description: 'Share of connections destroyed without an answer' }),
      hang: readAs(SHARE, share).optional().meta({ description: 'Share of requests never answered' }),
      at: atRequests.optional().meta({ description: 'Faults on exact call numbers, e.g. { 5: hang }' }),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown key (known: ${OBJECT_KEYS.join(', ')})`
          : `expected an object like { rateLimit: 40/s, errors: 0.01 }, got ${show(issue.input)}`,
    },
  )
  .transform((o, ctx): FaultSpec => {
    const spec: FaultSpec = {};
    if (o.rateLimit !== undefined) spec.rateLimitPerSecond = o.rateLimit;
    if (o.errors !== undefined) spec.errorRate = o.errors;
    if (o.errorStatus !== undefined) spec.errorStatus = o.errorStatus;
    if (o.reset !== undefined) spec.resetRate = o.reset;
    if (o.hang !== undefined) spec.hangRate = o.hang;
    if (o.at !== undefined) spec.atRequests = o.at;
    // One draw per call picks at most one of them.
    const total = (spec.errorRate ?? 0) + (spec.resetRate ?? 0) + (spec.hangRate ?? 0);
    if (total > 1 + 1e-9)
      ctx.addIssue({
        code: 'custom',
        message: `errors + reset + hang add up to ${Number(total.toFixed(6))}: together they must not exceed 1`,
      });
    return spec;
  });

/**
 * Reads a scenario `faults:` object (YAML already parsed). Throws FaultSpecError with a
 * path-like message, e.g. `faults.errors: expected a share between 0 and 1, got 2`.
 * `path` prefixes the messages (the scenario loader passes `mocks.tmdb.faults`).
 */
export function faultsFromObject(obj: unknown, path = 'faults'): FaultSpec {
  const parsed = faultSpecSchema.safeParse(obj);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const keys = issue.code === 'unrecognized_keys' ? (issue as { keys: string[] }).keys.slice(0, 1) : [];
  const at = [path, ...issue.path.map(String), ...keys].join('.');
  throw new FaultSpecError(at, issue.message);
}

/**
 * Parses the CLI form (`--fault rateLimit=40/s,errors=0.01,hangAt=5`) by turning it into the object
 * form and reading that with the same schema; throws an Error naming the bad pair, with an example.
 */
export function parseFaultSpec(text: string): FaultSpec {
  if (typeof text !== 'string' || text.trim() === '')
    throw new Error(`expected faults like ${CLI_EXAMPLE}, got ${JSON.stringify(text)}`);
  const obj: Record<string, unknown> = {};
  const at: Record<string, IndexedFault> = {};
  const atKey: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const m = /^\s*([A-Za-z]+)\s*=\s*(\S+)\s*$/.exec(pair);
    if (!m)
      throw new Error(`expected KEY=VALUE pairs like ${CLI_EXAMPLE}, got ${JSON.stringify(pair.trim())}`);
    const [, key, value] = m as unknown as [string, string, string];
    const fault = INDEXED.find((f) => `${f}At` === key);
    if (fault) {
      if (callIndex(value) === undefined)
        throw new Error(
          `${key}: expected a call number (1 or more), got ${JSON.stringify(value)} (e.g. ${CLI_EXAMPLE})`,
        );
      at[value] = fault;
      atKey[value] = key;
      continue;
    }
    const objectKey = key === 'status' ? 'errorStatus' : key;
    if (!OBJECT_KEYS.includes(objectKey) || objectKey === 'at')
      throw new Error(`unknown fault "${key}" (known: ${CLI_KEYS.join(', ')}); e.g. ${CLI_EXAMPLE}`);
    obj[objectKey] = value;
  }
  if (Object.keys(at).length > 0) obj.at = at;
  const parsed = faultSpecSchema.safeParse(obj);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path[0] === undefined ? '' : String(issue.path[0]);
  const name = field === 'at' ? (atKey[String(issue.path[1])] ?? 'at') : (CLI_NAME[field] ?? field);
  throw new Error(`${name ? `${name}: ` : ''}${issue.message} (e.g. ${CLI_EXAMPLE})`);
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
  if (Array.isArray(value)) return String(value);
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
