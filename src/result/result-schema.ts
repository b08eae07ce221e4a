// The schema of result.json (schemaVersion 1), mirroring ./types.ts. `smokestack report` and
// `compare` read results written by other runs (maybe by other versions, maybe edited by hand):
// parseResult turns anything that does not match into one readable UsageError naming the file
// and the field. Unknown fields are kept: "more fields may be added" (docs/contract.md).
import * as hdr from 'hdr-histogram-js';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import type { RunResult } from './types.js';

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 time');
const count = z.number().int().nonnegative();
const ms = z.number().nonnegative();

/** An HDR histogram, compressed base64: decoded here so `compare` never meets a broken one. */
const encodedHistogram = z.string().refine((s) => {
  try {
    hdr.decodeFromCompressedBase64(s, 32, false);
    return true;
  } catch {
    return false;
  }
}, 'expected an HDR histogram in compressed base64 (HISTFAAA…)');

const latencySummary = z.looseObject({ p50: ms, p90: ms, p95: ms, p99: ms, max: ms, mean: ms });

const serverConfig = z.looseObject({
  kind: z.string(),
  timeoutS: z.number().nonnegative(),
  timeoutSource: z.enum(['flag', 'scenario', 'image', 'server-default']),
  workers: count.optional(),
  workerClass: z.string().optional(),
  keepAliveS: z.number().nonnegative().optional(),
  gracefulTimeoutS: z.number().nonnegative().optional(),
  detectedFrom: z.array(z.string()).optional(),
  injected: z.array(z.string()).optional(),
});

const endpointStats = z.looseObject({
  name: z.string(),
  method: z.string(),
  path: z.string(),
  group: z.string().optional(),
  count,
  errors: count,
  statusCodes: z.record(z.string(), count),
  latencyMs: latencySummary,
  latencyFrom: z.enum(['intended', 'sent']).optional(),
});

const phaseAccount = z.looseObject({
  name: z.string(),
  model: z.enum(['open', 'closed']),
  planned: count,
  sent: count,
  completed: count,
  dropped: count,
  unsent: count,
  cutOff: count,
  late: count,
  connections: count,
  maxConnections: count.optional(),
  connectionsOpened: count.optional(),
  peakInFlight: count,
  peakRatePerSecond: z.number().nonnegative().optional(),
  startedAt: isoTime,
  firstDroppedAfterMs: ms.optional(),
});

const serverEvent = z.looseObject({
  at: isoTime,
  kind: z.enum([
    'worker-timeout',
    'worker-exit',
    'worker-boot',
    'worker-killed',
    'proxy-timeout',
    'upstream-closed',
    'error',
  ]),
  pid: z.number().int().optional(),
  line: z.string(),
  source: z.string().optional(),
  path: z.string().optional(),
  method: z.string().optional(),
  beforeTraffic: z.literal(true).optional(),
});

const flaggedRequest = z.looseObject({
  at: isoTime,
  endpoint: z.string(),
  method: z.string(),
  path: z.string(),
  latencyMs: ms,
  status: z.number().int().optional(),
  error: z.string().optional(),
  level: z.enum(['approaching', 'critical', 'killed']),
  ratio: z.number().nonnegative(),
  serverEvent: serverEvent.optional(),
  workerMs: ms.optional(),
  queueMs: ms.optional(),
  latencyBasis: z.enum(['worker', 'client']).optional(),
  deadline: z
    .looseObject({
      layer: z.enum(['edge', 'proxy', 'server']),
      kind: z.string(),
      timeoutS: z.number().nonnegative(),
    })
    .optional(),
});

const mockSummary = z.looseObject({
  name: z.string(),
  baseUrl: z.string().optional(),
  calls: count,
  byRoute: z.array(
    z.looseObject({
      route: z.string(),
      key: z.string().optional(),
      method: z.string(),
      calls: count,
      statusCodes: z.record(z.string(), count),
    }),
  ),
  latencyMs: latencySummary,
  faults: z.record(z.string(), count),
  served: z.record(z.string(), count).optional(),
});

const integrityResult = z.looseObject({
  name: z.string(),
  passed: z.boolean(),
  expected: z.string(),
  actual: z.string(),
  detail: z.string().optional(),
  sql: z.string().optional(),
  kind: z.enum(['passed', 'partial', 'none', 'mismatch', 'error']).optional(),
  origin: z.enum(['scenario', 'reconcile']).optional(),
});

const finding = z.looseObject({
  severity: z.enum(['fail', 'warn', 'info']),
  code: z.string().min(1),
  title: z.string(),
  detail: z.string(),
  advice: z.string().optional(),
});

export const resultSchema = z.looseObject({
  schemaVersion: z.literal(1),
  runId: z.string().min(1),
  startedAt: isoTime,
  finishedAt: isoTime,
  trafficStartedAt: isoTime.optional(),
  status: z.enum(['passed', 'failed', 'error', 'aborted']),
  scenario: z.looseObject({ name: z.string(), file: z.string(), description: z.string().optional() }),
  target: z.looseObject({
    mode: z.enum(['containers', 'url']),
    baseUrl: z.string(),
    image: z.string().optional(),
    server: serverConfig,
    deadlineS: z.number().nonnegative().optional(),
    chain: z
      .array(
        z.looseObject({
          layer: z.enum(['edge', 'proxy', 'server']),
          kind: z.string(),
          timeoutS: z.number().nonnegative(),
          timeoutSource: z.enum(['flag', 'scenario', 'image', 'server-default', 'profile-default']),
          rule: z.string(),
          container: z.string().optional(),
          detectedFrom: z.array(z.string()).optional(),
        }),
      )
      .optional(),
  }),
  requests: z.looseObject({ total: count, ok: count, errors: count, byEndpoint: z.array(endpointStats) }),
  timeline: z.array(
    z.looseObject({
      t: z.number().nonnegative(),
      rps: z.number().nonnegative(),
      errors: count,
      p50: ms,
      p99: ms,
      max: ms,
      target: count.optional(),
      sent: count.optional(),
    }),
  ),
  phases: z.array(phaseAccount).optional(),
  flagged: z.array(flaggedRequest),
  flaggedDropped: count.optional(),
  flaggedTotal: z.looseObject({ approaching: count, critical: count, killed: count }),
  serverEvents: z.array(serverEvent),
  mocks: z.array(mockSummary),
  integrity: z.array(integrityResult),
  findings: z.array(finding),
  budgets: z
    .looseObject({
      warnAt: z.number(),
      criticalAt: z.number(),
      workerTimeouts: z.number(),
      errorRate: z.number(),
    })
    .optional(),
  histogram: z.array(z.looseObject({ leMs: ms, count })).optional(),
  histograms: z.record(z.string(), encodedHistogram).optional(),
  meta: z
    .looseObject({
      versions: z.record(z.string(), z.string()).optional(),
      containers: z
        .array(z.looseObject({ name: z.string(), image: z.string(), startMs: z.number() }))
        .optional(),
      env: z.record(z.string(), z.string()).optional(),
      durationMs: z.number().optional(),
      error: z.string().optional(),
    })
    .optional(),
  error: z.looseObject({ code: z.string(), message: z.string(), fix: z.string().optional() }).optional(),
  /** The verdict's budget checks, one JUnit case each. */
  checks: z
    .array(
      z.looseObject({
        name: z.string(),
        passed: z.boolean(),
        message: z.string(),
        skipped: z.boolean().optional(),
      }),
    )
    .optional(),
  headroom: z
    .looseObject({
      slowestMs: ms,
      basis: z.enum(['worker', 'client']),
      deadlineMs: ms,
      ratio: z.number(),
      headroomMs: ms,
      cutShort: z.boolean(),
      summary: z.string(),
      projection: z
        .looseObject({
          mock: z.string(),
          unit: z.enum(['page', 'call']),
          calls: count,
          msPerCall: ms,
          fit: count,
          words: z.string(),
        })
        .optional(),
    })
    .optional(),
  comparison: z.unknown().optional(),
});

// Compile-time guard: whatever the schema accepts is a RunResult (a field added to ./types.ts
// as required, or with a narrower type, breaks this line until the schema follows).
const schemaMatchesTypes: (p: z.infer<typeof resultSchema>) => RunResult = (p) => p;
void schemaMatchesTypes;

/** Validates a parsed result.json; `file` names it in the error message. */
export function parseResult(json: unknown, file = 'result.json'): RunResult {
  const parsed = resultSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `${file}: ${fieldPath(issue.path)}: ${problemText(issue)}`,
  );
  const versionIssue = parsed.error.issues.find((i) => i.path.length === 1 && i.path[0] === 'schemaVersion');
  return failWith(problems, versionIssue !== undefined);
}

function failWith(problems: string[], wrongVersion: boolean): never {
  throw new UsageError(problems[0]!, {
    code: 'RESULT_INVALID',
    details: problems.slice(1, 10),
    fix: wrongVersion
      ? 'this smokestack reads schemaVersion 1 results; re-run the scenario with this version'
      : 'give a result.json written by `smokestack run` (reports/<run-id>/result.json)',
  });
}

/** `flagged[0].level` — the path as users read it in the JSON. */
function fieldPath(path: PropertyKey[]): string {
  if (path.length === 0) return '(the whole file)';
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}

function problemText(issue: z.core.$ZodIssue): string {
  // zod does not keep the input on issues; its message says `received undefined` for a missing field.
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) {
    return `missing (expected ${issue.expected})`;
  }
  return issue.message.replace(/^Invalid input: /, '').replace(/^Invalid option: /, '');
}

/** The JSON Schema of result.json, for editors and other tools. */
export function resultJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(resultSchema, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
}
