// The one pattern that earns the `partial-import` finding: a request killed while it was writing,
// and a database check that then found some rows but not all. Each part from this run's evidence:
//   killed   a flagged request at level `killed`, or a worker-timeout event naming a request path
//   writing  that request's method writes (POST, PUT, PATCH, DELETE), or the app called a mock
//            while it ran (the mock's sampled calls inside the request's time window)
//   partial  a failed check of kind `partial` (a count above zero, below what was expected)
// TMDB/Django wording (pages, transaction.atomic) only when the mock called during the kill is the
// TMDB mock or the short check is the reconciliation of what it served. A short count without
// the pattern (too little throughput, a kill of a read) stays `integrity-failed`, and
// `shortfallContext` says there what the run showed instead.
import type { Finding, FlaggedRequest, IntegrityResult, ServerEvent } from '../result/types.js';
import { formatDuration } from '../units/index.js';
import { clock, plural, requestLabel } from './format.js';
import type { Evidence, JudgeInput, MockCall, Rule } from './types.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
const TMDB = 'tmdb';

/** A request the server killed, and the time it ran. */
interface KilledWork {
  label: string;
  startMs: number;
  endMs: number;
  method?: string;
  request?: FlaggedRequest;
  event?: ServerEvent;
}

interface CutShortWrite {
  work: KilledWork;
  calls: MockCall[];
  check: IntegrityResult;
  tmdb: boolean;
  pages: number[];
}

export const partialImport: Rule = (input, evidence) => {
  const found = cutShortWrite(input, evidence);
  if (!found) return {};
  const { work, calls, check, tmdb, pages } = found;
  const finding: Finding = {
    severity: 'fail',
    code: 'partial-import',
    title: tmdb
      ? 'Partial import: the killed request left some of its rows behind'
      : 'Partial write: the killed request left some of its rows behind',
    detail:
      `${work.label} was killed ${killedHow(work)}; ${whatItDid(work, calls, pages)}. ` +
      `After the run, "${check.name}": ${check.detail ?? `expected ${check.expected}, got ${check.actual}`}. ` +
      'Some rows but not all: what the request wrote before the kill stayed.',
    advice: tmdb
      ? 'The rows were committed as they were written (in Django, autocommit is the default), so the kill kept those written before it. ' +
        'Wrap the import in one transaction (Django: transaction.atomic()) so a kill rolls it back, or make each step whole on its own: one page per job, ' +
        'written with bulk upserts (bulk_create(update_conflicts=True)), so every step finishes well inside the timeout and a retry continues where it stopped.'
      : 'The writes were committed one at a time, so the kill kept those made before it. Make the writes of the request one ' +
        'database transaction so a kill rolls them back, or split the work into steps that each finish well inside the ' +
        'timeout and can be retried without duplicating what is stored.',
  };
  return { findings: [finding] };
};

/**
 * For a short count that is not a partial write, what the run showed instead (for the
 * integrity-failed finding): no kill at all, or a kill with nothing to show it was writing.
 */
export function shortfallContext(input: JudgeInput, evidence: Evidence): string | undefined {
  if (!input.integrity.some((r) => r.kind === 'partial') || cutShortWrite(input, evidence)) return undefined;
  const killed = killedWork(evidence);
  if (killed.length === 0) {
    const unmatched = evidence.workerTimeouts.length;
    if (unmatched > 0)
      return `The server killed ${plural(unmatched, 'worker')} (${evidence.workerTimeouts
        .slice(0, 3)
        .map((e) => `at ${clock(e.at)}`)
        .join(', ')}), but no request of this run is tied to it, so nothing shows a write cut short.`;
    const { total, errors } = input.requests;
    return `No request was killed in this run (${plural(total, 'request')} sent, ${errors} failed), so no kill cut these writes short.`;
  }
  const w = killed[0]!;
  return `${w.label} was killed, but nothing shows it writing: it is a ${w.method ?? 'request'} and no mock was called while it ran.`;
}

function cutShortWrite(input: JudgeInput, evidence: Evidence): CutShortWrite | undefined {
  const partial = input.integrity.filter((r) => !r.passed && r.kind === 'partial');
  // The reconciliation names what is missing; a scenario count only how many.
  const check = partial.find((r) => r.origin === 'reconcile') ?? partial[0];
  if (!check) return undefined;
  const calls = input.mockCalls ?? [];
  const candidates = killedWork(evidence).map((work) => ({
    work,
    calls: calls.filter((c) => c.startedAt >= work.startMs && c.startedAt <= work.endMs),
  }));
  // Calls during the kill are the stronger sign of work in progress than the method alone.
  const best =
    candidates.find((c) => c.calls.length > 0) ??
    candidates.find((c) => c.work.method !== undefined && !READS.has(c.work.method));
  if (!best) return undefined;
  const tmdbCalls = best.calls.filter((c) => c.mock.toLowerCase() === TMDB);
  return {
    ...best,
    check,
    tmdb: tmdbCalls.length > 0 || partial.some((r) => r.origin === 'reconcile'),
    pages: pagesOf(tmdbCalls),
  };
}

function killedWork(evidence: Evidence): KilledWork[] {
  const fromRequests = evidence.killed.map((f) => {
    const startMs = Date.parse(f.at);
    return {
      label: requestLabel(f),
      startMs,
      endMs: startMs + f.latencyMs,
      method: f.method,
      request: f,
      ...(f.serverEvent ? { event: f.serverEvent } : {}),
    };
  });
  const key = (e: ServerEvent) => `${e.at}|${e.line}`;
  const tied = new Set(evidence.killed.flatMap((f) => (f.serverEvent ? [key(f.serverEvent)] : [])));
  // gunicorn >= 22 names the killed request's path; it ran for (about) the timeout before the kill.
  const fromEvents = evidence.workerTimeouts
    .filter((e) => e.path !== undefined && !tied.has(key(e)))
    .map((e) => {
      const endMs = Date.parse(e.at);
      return {
        label: `The request ${e.path} (named in the server's log)`,
        startMs: endMs - evidence.timeoutMs,
        endMs,
        event: e,
      };
    });
  return [...fromRequests, ...fromEvents];
}

function killedHow(w: KilledWork): string {
  const after = w.request ? `after ${formatDuration(w.request.latencyMs)}` : `at ${clock(w.event!.at)}`;
  return w.event?.kind === 'worker-timeout' ? `${after} by a worker timeout at ${clock(w.event.at)}` : after;
}

function whatItDid(w: KilledWork, calls: MockCall[], pages: number[]): string {
  if (pages.length > 0) {
    const which =
      pages.length > 1
        ? `${pages.length} pages (${pages[0]}–${pages[pages.length - 1]})`
        : `page ${pages[0]}`;
    return `while it ran, the app fetched ${which} from the ${TMDB} mock`;
  }
  if (calls.length > 0) {
    const mocks = [...new Set(calls.map((c) => c.mock))].join(', ');
    return `while it ran, the app called the ${mocks} mock ${calls.length === 1 ? 'once' : `${calls.length} times`}`;
  }
  return `it is a ${w.method}, a method that writes`;
}

/** Distinct `page=N` values, in order. */
function pagesOf(calls: MockCall[]): number[] {
  const pages = new Set<number>();
  for (const c of calls) {
    const m = /(?:^|&)page=(\d+)/.exec(c.query);
    if (m) pages.add(Number(m[1]));
  }
  return [...pages].sort((a, b) => a - b);
}
