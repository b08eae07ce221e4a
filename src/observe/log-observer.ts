// Follows the server's log lines as they arrive (all containers, interleaved) and keeps the
// ServerEvents they state. Single lines go through ./log-parsers.ts; the state here exists only
// for what spans lines: a Python traceback collapses into one error event carrying its exception
// line, and gunicorn >= 22's `Error handling request /path` + `SystemExit: 1` after a WORKER
// TIMEOUT names the killed request's path on the timeout instead of counting as an error.
import type { ServerEvent } from '../result/types.js';
import { isAccessLine } from './access-log.js';
import { lineTimestamp, type ParsedServerLine, parseServerLine } from './log-parsers.js';

export interface ObservedLine {
  /** Epoch ms the line arrived. */
  at: number;
  /** Container (or process) the line came from. */
  source: string;
  line: string;
}

export interface LogObserver {
  push(line: ObservedLine): void;
  /** Events so far, in time order; a traceback still being read is included as it stands. */
  events(): ServerEvent[];
  /** Error events not kept because of the cap (worker events are always kept). */
  droppedErrors(): number;
  /**
   * The traffic starts now (epoch ms): events of lines that arrived before are `beforeTraffic`
   * (boot, setup, readiness). A traceback counts from its first line.
   */
  trafficStarted(at: number): void;
}

export interface LogObserverOptions {
  /** Error events kept; a crash loop must not grow the result without bound. Default 500. */
  maxErrors?: number;
}

/** A header (`Error handling request`, `Internal Server Error: /x`) joins a traceback this soon after it. */
const HEADER_JOIN_MS = 2_000;
/** gunicorn 22 logs the killed request's path within a second of the WORKER TIMEOUT. */
const TIMEOUT_PATH_MS = 5_000;
/** nginx's client connection number in an error-log line (`8#8: *3 upstream timed out`). */
function connectionOf(line: string): string | undefined {
  return / \d+#\d+: \*(\d+) /.exec(line)?.[1];
}

/** Repeats of one fact (21.x logs `exited with code 1` twice, uWSGI retries HARAKIRI) are one event. */
const REPEAT_MS = 5_000;
/** Lines after an exception line still read as its message, at most. */
const MAX_MESSAGE_LINES = 10;

interface Traceback {
  startedAt: number;
  /** The event the traceback explains, when a header line came first. */
  header?: ServerEvent;
  /** The traceback of a killed gunicorn 22 worker: part of the timeout, not an error. */
  swallow: boolean;
  exception?: string;
  stage: 'frames' | 'after-exception';
  /** Lines read after the exception line (a message over several lines). */
  extraLines: number;
}

interface SourceState {
  traceback?: Traceback;
  lastError?: { event: ServerEvent; at: number; explained: boolean };
  /** The next traceback of this source belongs to a timeout (gunicorn 22). */
  swallowNext?: number;
}

/**
 * Long on purpose: one closure over the per-source traceback state (a header waiting for its
 * traceback, a timeout's traceback to swallow) that push() updates line by line and events() reads.
 */
export function createLogObserver(options: LogObserverOptions = {}): LogObserver {
  const maxErrors = options.maxErrors ?? 500;
  const kept: ServerEvent[] = [];
  const sources = new Map<string, SourceState>();
  let errors = 0;
  let dropped = 0;
  // Until trafficStarted is called nothing is marked (a run that never got to traffic included).
  let trafficAt = Number.NEGATIVE_INFINITY;
  /** When each kept event's first line arrived, for beforeTraffic (marked in events()). */
  const arrivals = new WeakMap<ServerEvent, number>();
  const stamped = (event: ServerEvent, arrivedAt: number): ServerEvent => {
    arrivals.set(event, arrivedAt);
    return event;
  };
  const marked = (copy: ServerEvent, of: ServerEvent): ServerEvent => {
    const at = arrivals.get(of);
    return at !== undefined && at < trafficAt ? { ...copy, beforeTraffic: true } : copy;
  };

  const stateOf = (source: string): SourceState => {
    let s = sources.get(source);
    if (!s) {
      s = {};
      sources.set(source, s);
    }
    return s;
  };

  const keep = (event: ServerEvent): boolean => {
    if (event.kind === 'error') {
      if (errors >= maxErrors) {
        dropped += 1;
        return false;
      }
      errors += 1;
    } else if (isRepeat(event)) {
      return false;
    }
    kept.push(event);
    return true;
  };

  const isRepeat = (event: ServerEvent): boolean => {
    const t = Date.parse(event.at);
    // A proxy's line (nginx, the edge) is one cut request each, even with the same pid and path;
    // only nginx's lines of one client connection (`*9`: it tried the next upstream) are one.
    if (event.kind === 'proxy-timeout' || event.kind === 'upstream-closed') {
      const conn = connectionOf(event.line);
      return (
        conn !== undefined &&
        kept
          .slice(-20)
          .some(
            (e) =>
              e.pid === event.pid &&
              connectionOf(e.line) === conn &&
              e.path === event.path &&
              Math.abs(Date.parse(e.at) - t) <= REPEAT_MS,
          )
      );
    }
    for (let i = kept.length - 1; i >= 0 && i >= kept.length - 20; i -= 1) {
      const e = kept[i]!;
      if (e.kind === event.kind && e.pid === event.pid && Math.abs(Date.parse(e.at) - t) <= REPEAT_MS)
        return true;
    }
    return false;
  };

  const finishTraceback = (state: SourceState, source: string) => {
    const tb = state.traceback;
    state.traceback = undefined;
    if (!tb || tb.swallow) return;
    const exception = tb.exception ?? 'traceback without an exception line';
    if (tb.header) {
      tb.header.line = `${tb.header.line} — ${exception}`;
      return;
    }
    keep(
      stamped(
        { at: new Date(tb.startedAt).toISOString(), kind: 'error', line: exception, source },
        tb.startedAt,
      ),
    );
  };

  const timeoutFor = (pid: number | undefined, at: number): ServerEvent | undefined => {
    if (pid === undefined) return undefined;
    for (let i = kept.length - 1; i >= 0; i -= 1) {
      const e = kept[i]!;
      if (e.kind === 'worker-timeout' && e.pid === pid && e.path === undefined) {
        return Math.abs(at - Date.parse(e.at)) <= TIMEOUT_PATH_MS ? e : undefined;
      }
    }
    return undefined;
  };

  const handleEvent = (event: ParsedServerLine, line: ObservedLine, state: SourceState) => {
    const { pattern: _pattern, namesTimeoutPath, ...plain } = event;
    const serverEvent = stamped({ ...plain, source: line.source }, line.at);
    if (namesTimeoutPath) {
      const timeout = timeoutFor(event.pid, Date.parse(event.at));
      if (timeout) {
        timeout.path = event.path;
        // gunicorn 22: the `SystemExit: 1` traceback that follows is the kill, not an app error.
        state.swallowNext = line.at;
        return;
      }
    }
    if (keep(serverEvent) && serverEvent.kind === 'error') {
      state.lastError = { event: serverEvent, at: line.at, explained: false };
    }
  };

  const startTraceback = (state: SourceState, at: number) => {
    const swallow = state.swallowNext !== undefined && at - state.swallowNext <= HEADER_JOIN_MS;
    state.swallowNext = undefined;
    const last = state.lastError;
    const header = !swallow && last && !last.explained && at - last.at <= HEADER_JOIN_MS ? last : undefined;
    if (header) header.explained = true;
    state.traceback = { startedAt: at, header: header?.event, swallow, stage: 'frames', extraLines: 0 };
  };

  /** True when the line was part of a traceback (consumed). */
  const continueTraceback = (state: SourceState, source: string, text: string): boolean => {
    const tb = state.traceback!;
    const indented = /^\s/.test(text) || text === '';
    const chained =
      text.startsWith('Traceback (most recent call last)') ||
      text.startsWith('During handling of the above exception') ||
      text.startsWith('The above exception was the direct cause');
    if (tb.stage === 'frames') {
      if (indented || chained) return true;
      // Another worker's request record, written to stdout while this traceback goes to stderr:
      // neither the exception nor the end of the traceback.
      if (isAccessLine(text)) return true;
      // A log line in the middle of a traceback: the traceback was cut off (interleaved writers).
      if (looksLikeLogLine(text)) {
        finishTraceback(state, source);
        return false;
      }
      tb.exception = text.trim();
      tb.stage = 'after-exception';
      return true;
    }
    if (text.startsWith('During handling of the above exception') || text.startsWith('The above exception')) {
      tb.stage = 'frames';
      return true;
    }
    // Exception messages may run over lines (psycopg's `DETAIL:  Key ...`): keep reading until a
    // line that is a log line of its own, or a new traceback.
    const ownLine = text.startsWith('Traceback (') || looksLikeLogLine(text);
    if (!ownLine && tb.extraLines < MAX_MESSAGE_LINES) {
      tb.extraLines += 1;
      return true;
    }
    finishTraceback(state, source);
    return false;
  };

  return {
    push(line) {
      const text = line.line.replace(/\r$/, '').trimEnd();
      const state = stateOf(line.source);
      if (state.traceback && continueTraceback(state, line.source, text)) return;
      if (text.startsWith('Traceback (most recent call last):')) {
        startTraceback(state, line.at);
        return;
      }
      const event = parseServerLine(text, line.at);
      if (event) handleEvent(event, line, state);
    },

    events() {
      const out = kept.map((e) => marked({ ...e }, e));
      for (const [source, state] of sources) {
        const tb = state.traceback;
        if (!tb || tb.swallow || !tb.exception) continue;
        if (tb.header) {
          const i = kept.indexOf(tb.header);
          if (i >= 0) out[i]!.line = `${tb.header.line} — ${tb.exception}`;
        } else {
          const open: ServerEvent = {
            at: new Date(tb.startedAt).toISOString(),
            kind: 'error',
            line: tb.exception,
            source,
          };
          out.push(marked(open, stamped(open, tb.startedAt)));
        }
      }
      // Stable: lines of the same second keep their arrival order.
      return out
        .map((e, i) => ({ e, i }))
        .sort((a, b) => cmp(a.e.at, b.e.at) || a.i - b.i)
        .map(({ e }) => e);
    },

    droppedErrors() {
      return dropped;
    },

    trafficStarted(at) {
      trafficAt = at;
    },
  };
}

/** A line a logger wrote (timestamped, level-prefixed, or a known event), not part of a traceback. */
function looksLikeLogLine(text: string): boolean {
  return (
    isAccessLine(text) ||
    parseServerLine(text, 0) !== undefined ||
    lineTimestamp(text) !== undefined ||
    /^\[|^(?:DEBUG|INFO|WARNING|ERROR|CRITICAL):\s/.test(text)
  );
}

function cmp(a: string, b: string): number {
  return Date.parse(a) - Date.parse(b);
}
