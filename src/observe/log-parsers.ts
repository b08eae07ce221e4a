// Turns one line of a server's log into a ServerEvent: the table of known lines of gunicorn
// (19.x to 23.x), uWSGI, uvicorn, Django and the error log of nginx in front of them, plus the line's own timestamp when it has one.
// Pure and single-line; multi-line tracebacks are stitched together by ./log-observer.ts.
// Formats and their versions: docs/servers.md, and test/fixtures/server-logs/.
import type { ServerEvent, ServerEventKind } from '../result/types.js';
import { isAccessLine } from './access-log.js';

export type ServerName = 'gunicorn' | 'uwsgi' | 'uvicorn' | 'django' | 'nginx' | 'edge';

export interface LinePattern {
  /** Stable name, so the observer and tests can tell which rule matched. */
  name: string;
  server: ServerName;
  kind: ServerEventKind;
  /** Named groups: `pid` (the process the event is about), `path` (a request path), `method`. */
  regex: RegExp;
  /**
   * The line names the request a just-killed worker was handling: the observer attaches `path` to
   * that worker's timeout event instead of keeping this one (kept as `kind` when no timeout precedes).
   */
  namesTimeoutPath?: true;
}

/**
 * First match wins, so specific lines come before the catch-alls. The bracketed pid of a gunicorn
 * line is the writer (the master for WORKER TIMEOUT), so `pid` is taken from the text, except in
 * `Error handling request`, which the worker itself writes.
 */
/** One nginx error-log line of this message, with the request line's method and path. */
function nginxError(message: string): RegExp {
  return new RegExp(
    `^\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d \\[(?:error|crit)\\] (?<pid>\\d+)#\\d+: (?:\\*\\d+ )?${message}, client: [^,]*, server: [^,]*, request: "(?<method>[A-Z]+) (?<path>\\S+) [^"]*"`,
  );
}

export const linePatterns: readonly LinePattern[] = [
  // gunicorn: the arbiter's kill of a silent worker (all versions).
  {
    name: 'gunicorn-timeout',
    server: 'gunicorn',
    kind: 'worker-timeout',
    regex: /WORKER TIMEOUT \(pid:(?<pid>\d+)\)/,
  },
  // gunicorn 22+: the killed worker reports the request it was handling (then `SystemExit: 1`).
  {
    name: 'gunicorn-request-error',
    server: 'gunicorn',
    kind: 'error',
    regex: /^\[[^\]]+\] \[(?<pid>\d+)\] \[ERROR\] Error handling request (?<path>\/\S*)/,
    namesTimeoutPath: true,
  },
  {
    name: 'gunicorn-exiting',
    server: 'gunicorn',
    kind: 'worker-exit',
    regex: /Worker exiting \(pid: ?(?<pid>\d+)\)/,
  },
  {
    name: 'gunicorn-boot',
    server: 'gunicorn',
    kind: 'worker-boot',
    regex: /Booting worker with pid: ?(?<pid>\d+)/,
  },
  // 21.x+: SIGKILL after the timeout's SIGABRT was not enough (stuck in C code), or the OOM killer.
  {
    name: 'gunicorn-sigkill',
    server: 'gunicorn',
    kind: 'worker-killed',
    regex: /Worker (?:\d+ )?\(pid:(?<pid>\d+)\) was sent SIGKILL!/,
  },
  // 21.x+ at shutdown or reload (`was sent SIGTERM!`): a worker leaving on request, not a timeout.
  {
    name: 'gunicorn-signalled',
    server: 'gunicorn',
    kind: 'worker-exit',
    regex: /Worker (?:\d+ )?\(pid:(?<pid>\d+)\) was sent \w+(?: \d+)?!/,
  },
  // 20.x: the same facts in older words.
  {
    name: 'gunicorn-signal-9',
    server: 'gunicorn',
    kind: 'worker-killed',
    regex: /Worker with pid (?<pid>\d+) was terminated due to signal 9\b/,
  },
  {
    name: 'gunicorn-signal',
    server: 'gunicorn',
    kind: 'worker-exit',
    regex: /Worker with pid (?<pid>\d+) was terminated due to signal \d+/,
  },
  // uvicorn's own supervisor (`uvicorn --workers N`) reports a SIGKILLed child as exit code -9.
  {
    name: 'uvicorn-killed',
    server: 'uvicorn',
    kind: 'worker-killed',
    regex: /Worker (?:\d+ )?\(pid:(?<pid>\d+)\) exited with code -9\b/,
  },
  {
    name: 'gunicorn-exit-code',
    server: 'gunicorn',
    kind: 'worker-exit',
    regex: /Worker (?:\d+ )?\(pid:(?<pid>\d+)\) exited with code -?\d+/,
  },
  {
    name: 'gunicorn-boot-failed',
    server: 'gunicorn',
    kind: 'error',
    regex: /Worker failed to boot|App failed to load/,
  },
  // uWSGI: `*** HARAKIRI ON WORKER 1 (pid: 9, try: 1) ***` (1.x has no `try`, 2.1 adds `graceful`).
  {
    name: 'uwsgi-harakiri',
    server: 'uwsgi',
    kind: 'worker-timeout',
    regex: /\*\*\* HARAKIRI ON WORKER \d+ \(pid: (?<pid>\d+)[^)]*\) \*\*\*/,
  },
  {
    name: 'uwsgi-harakiri-request',
    server: 'uwsgi',
    kind: 'worker-timeout',
    regex:
      /HARAKIRI: --- uWSGI worker \d+ (?:core \d+ )?\(pid: (?<pid>\d+)\) WAS managing request (?<path>\S+)/,
    namesTimeoutPath: true,
  },
  {
    name: 'uwsgi-killed',
    server: 'uwsgi',
    kind: 'worker-killed',
    regex: /DAMN ! worker \d+ \(pid: (?<pid>\d+)\) (?:died, |MY?I?STERIOUSLY )killed by signal 9\b/,
  },
  {
    name: 'uwsgi-died',
    server: 'uwsgi',
    kind: 'worker-exit',
    regex: /DAMN ! worker \d+ \(pid: (?<pid>\d+)\) (?:died|MY?I?STERIOUSLY)/,
  },
  {
    name: 'uwsgi-respawned',
    server: 'uwsgi',
    kind: 'worker-boot',
    regex: /Respawned uWSGI worker \d+ \(new pid: (?<pid>\d+)\)|spawned uWSGI worker \d+ \(pid: (?<pid2>\d+)/,
  },
  // nginx's error log (docs/timeout-chain.md; real lines in test/fixtures/nginx/error.log): the
  // proxy gave up on the upstream (504: reading, sending or connecting past its limit) or the
  // upstream failed it (502: closed without a response, refused, none left alive). The request
  // line is the client's, so it names the request the client saw cut.
  {
    name: 'nginx-upstream-timed-out',
    server: 'nginx',
    kind: 'proxy-timeout',
    regex: nginxError('upstream timed out \\(\\d+: [^)]*\\) while [a-z ]+'),
  },
  {
    name: 'nginx-upstream-closed',
    server: 'nginx',
    kind: 'upstream-closed',
    regex: nginxError('upstream prematurely closed connection while [a-z ]+'),
  },
  {
    name: 'nginx-connect-failed',
    server: 'nginx',
    kind: 'upstream-closed',
    regex: nginxError('connect\\(\\) failed \\(\\d+: [^)]*\\) while [a-z ]+'),
  },
  {
    name: 'nginx-no-live-upstreams',
    server: 'nginx',
    kind: 'upstream-closed',
    regex: nginxError('no live upstreams while [a-z ]+'),
  },
  // The edge emulator's line for a request it cut, in each managed layer's own log format
  // (src/edge/profiles.ts writes them; docs/timeout-chain.md): the layer gave up on the app.
  {
    // AWS ALB's access log: elb_status_code 504 (or `-` cut mid-body), target_status_code `-`.
    name: 'alb-timeout',
    server: 'edge',
    kind: 'proxy-timeout',
    regex:
      /^(?:http|https|h2) (?:\S+ ){7}(?:504|-) - \d+ \d+ "(?<method>[A-Z]+) [a-z]+:\/\/[^/\s]+(?<path>\/\S*) [^"]*"/,
  },
  {
    // Heroku's router: H12 (no first byte in time), H15 (the rolling window after it).
    name: 'heroku-router-timeout',
    server: 'edge',
    kind: 'proxy-timeout',
    regex:
      /heroku\[router\]: at=error code=H1[25] desc="[^"]*" method=(?<method>[A-Z]+) path="(?<path>[^"]*)"/,
  },
  {
    name: 'cloudflare-524',
    server: 'edge',
    kind: 'proxy-timeout',
    regex:
      /^\{"EdgeStartTimestamp":"[^"]*","ClientRequestMethod":"(?<method>[A-Z]+)","ClientRequestURI":"(?<path>[^"]*)".*"EdgeResponseStatus":524\b/,
  },
  {
    name: 'gcp-lb-backend-timeout',
    server: 'edge',
    kind: 'proxy-timeout',
    regex:
      /^\{"httpRequest":\{"requestMethod":"(?<method>[A-Z]+)","requestUrl":"[a-z]+:\/\/[^/"]*(?<path>\/[^"]*)".*"statusDetails":"backend_timeout/,
  },
  // Django's request logger names the failing path; the traceback follows.
  { name: 'django-500', server: 'django', kind: 'error', regex: /Internal Server Error: (?<path>\/\S*)/ },
  // Catch-alls: any other error line of gunicorn, uvicorn, uWSGI or Python logging.
  {
    name: 'gunicorn-error',
    server: 'gunicorn',
    kind: 'error',
    regex: /^\[[^\]]+\] \[\d+\] \[(?:ERROR|CRITICAL)\] /,
  },
  { name: 'uvicorn-error', server: 'uvicorn', kind: 'error', regex: /^(?:ERROR|CRITICAL): / },
  // Python logging with a timestamp (Django's LOGGING, Celery's `[ts: ERROR/MainProcess]`). A
  // Celery hard time limit or a killed pool process stays an error: it is no web worker's kill.
  {
    name: 'python-error',
    server: 'django',
    kind: 'error',
    regex: /^\[?\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[,.]\d+)?:?\]? (?:ERROR|CRITICAL)\b/,
  },
];

export interface ParsedServerLine extends ServerEvent {
  /** Which entry of `linePatterns` matched. */
  pattern: string;
  namesTimeoutPath?: true;
}

/** The event a single log line states, or undefined for lines that state none. */
export function parseServerLine(line: string, arrivedAt: number): ParsedServerLine | undefined {
  const text = line.trimEnd();
  // An access line (a path may hold `ERROR`, a status may be 500) is a request, never an event.
  if (isAccessLine(text)) return undefined;
  for (const p of linePatterns) {
    const m = p.regex.exec(text);
    if (!m) continue;
    const pid = m.groups?.pid ?? m.groups?.pid2;
    const event: ParsedServerLine = {
      at: new Date(eventTime(text, arrivedAt)).toISOString(),
      kind: p.kind,
      line: text,
      pattern: p.name,
    };
    if (pid !== undefined) event.pid = Number(pid);
    if (m.groups?.path !== undefined) event.path = m.groups.path;
    if (m.groups?.method !== undefined) event.method = m.groups.method;
    if (p.namesTimeoutPath) event.namesTimeoutPath = true;
    return event;
  }
  return undefined;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Epoch ms a line's own timestamp states, or undefined when it has none. */
export function lineTimestamp(line: string): number | undefined {
  // gunicorn: `[2026-11-24 15:45:30 +0000]`
  let m = /^\[(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) ([+-])(\d\d)(\d\d)\]/.exec(line);
  if (m) {
    const offsetMs = (m[3] === '-' ? -1 : 1) * (Number(m[4]) * 60 + Number(m[5])) * 60_000;
    return Date.parse(`${m[1]}T${m[2]}Z`) - offsetMs;
  }
  // Python logging's asctime: `2026-11-24 15:45:30,123` (containers run in UTC).
  m = /^\[?(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:[,.](\d{1,3}))?/.exec(line);
  if (m) return Date.parse(`${m[1]}T${m[2]}.${(m[3] ?? '0').padEnd(3, '0')}Z`);
  // nginx's error log: `2026/12/02 04:26:58 [error] ...` (local time, UTC in containers).
  m = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d:\d\d:\d\d) \[/.exec(line);
  if (m) return Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}Z`);
  // uWSGI's verbose lines: `Tue Nov 24 15:45:30 2026 - *** HARAKIRI ...` (ctime, UTC in containers).
  m = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) +(\d{1,2}) (\d\d:\d\d:\d\d) (\d{4}) - /.exec(line);
  if (m) {
    const month = MONTHS.indexOf(m[1]!);
    if (month >= 0) return Date.parse(`${m[4]}-${pad(month + 1)}-${pad(Number(m[2]))}T${m[3]}Z`);
  }
  return undefined;
}

/**
 * The line's own timestamp when it has one; but those have whole seconds only, so when the line
 * arrived within that second (same host clock, the normal case) the arrival time is the sharper one.
 */
function eventTime(line: string, arrivedAt: number): number {
  const stamped = lineTimestamp(line);
  if (stamped === undefined || Number.isNaN(stamped)) return arrivedAt;
  return arrivedAt >= stamped && arrivedAt < stamped + 1000 ? arrivedAt : stamped;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
