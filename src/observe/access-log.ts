// Reads a server's access-log lines into each request's time in the worker: the line gunicorn
// writes in the format the harness injects (src/server/access-log-injection.ts, `%(D)s` in µs),
// uWSGI's default request line (`... GET /x => generated 5120 bytes in 41 msecs (HTTP/1.1
// 200) ...`), and an image's own gunicorn format that has the request time (./access-format.ts).
// uvicorn's access line has no request time, so it gives nothing here. Single-line. These lines are never server events (see log-parsers.ts, which skips them).
import { ACCESS_MARKER } from '../server/access-log-injection.js';
import type { AccessEntry } from './access-entry.js';
import { accessFormatParser } from './access-format.js';

export type { AccessEntry } from './access-entry.js';

const GUNICORN = new RegExp(
  `^${ACCESS_MARKER} <(?<pid>\\d+)> "(?<method>[A-Z]+) (?<path>\\S+)(?: [^"]*)?" (?<status>\\d{3}) (?<us>\\d+)$`,
);
const UWSGI =
  /^\[pid: (?<pid>\d+)\|app: [^|]*\|req: [^\]]*\] .*? (?<method>[A-Z]+) (?<path>\S+) => generated \d+ bytes in (?<ms>\d+) msecs \(HTTP\/[\d.]+ (?<status>\d{3})\)/;

/**
 * A request line in quotes and the status after it: gunicorn's default access format and nginx's
 * combined one (`172.18.0.1 - - [02/Dec/2026:16:19:40 +0000] "GET /books/ HTTP/1.1" 500 145 ...`),
 * Django runserver's, and most own formats. Not read for time in the worker (none of them has it),
 * but a request record all the same.
 */
const REQUEST_RECORD = /"[A-Z]+ \S+ HTTP\/[\d.]+" \d{3}\b/;

/**
 * True for any line that records a request: those this file reads, and any other access-log line.
 * A request record is never a server event, whatever its status (a 500 is counted from the
 * traffic already), and never part of a traceback another writer was printing meanwhile.
 */
export function isAccessLine(line: string): boolean {
  return line.startsWith(`${ACCESS_MARKER} `) || UWSGI.test(line) || REQUEST_RECORD.test(line);
}

/** The request one access line states, or undefined for any other line. */
export function parseAccessLine(line: string, arrivedAt: number, source?: string): AccessEntry | undefined {
  const text = line.trimEnd();
  const m = GUNICORN.exec(text) ?? UWSGI.exec(text);
  const g = m?.groups;
  if (!g) return undefined;
  const workerMs = g.us !== undefined ? Number(g.us) / 1000 : Number(g.ms);
  return {
    at: arrivedAt,
    method: g.method!,
    path: g.path!,
    status: Number(g.status),
    workerMs,
    pid: Number(g.pid),
    ...(source !== undefined ? { source } : {}),
  };
}

export interface AccessLog {
  push(line: { at: number; source: string; line: string }): void;
  /**
   * Also read lines in the image's own gunicorn format (when it carries the request time), from
   * the app's container only: known once the stack is up, before traffic starts.
   */
  useFormat(format: string, source: string): void;
  entries(): AccessEntry[];
}

/** Keeps the access entries of the run, at most `max` (the newest are dropped: fewer matches, never wrong ones). */
export function createAccessLog(max = 200_000): AccessLog {
  const kept: AccessEntry[] = [];
  let own: { parse: NonNullable<ReturnType<typeof accessFormatParser>>; source: string } | undefined;
  return {
    push(line) {
      if (kept.length >= max) return;
      const entry =
        parseAccessLine(line.line, line.at, line.source) ??
        (own && line.source === own.source ? own.parse(line.line, line.at, line.source) : undefined);
      if (entry) kept.push(entry);
    },
    useFormat(format, source) {
      const parse = accessFormatParser(format);
      own = parse && { parse, source };
    },
    entries: () => [...kept],
  };
}
