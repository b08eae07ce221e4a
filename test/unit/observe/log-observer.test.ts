import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createLogObserver } from '../../../src/observe/log-observer.js';
import { lineTimestamp } from '../../../src/observe/log-parsers.js';
import type { ServerEvent } from '../../../src/result/types.js';

/** Replays a log file as if it arrived a day later, 10 ms a line: stamped lines keep their own time. */
function replay(file: string, source = 'app'): ServerEvent[] {
  const observer = createLogObserver();
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = Date.parse('2026-11-25T10:00:00Z');
  lines.forEach((line, i) => {
    observer.push({ at: start + i * 10, source, line });
  });
  return observer.events();
}

const fixture = (name: string) => `test/fixtures/server-logs/${name}`;
const brief = (events: ServerEvent[]) => events.map((e) => [e.kind, e.pid] as const);

describe('createLogObserver on documented formats', () => {
  it('gunicorn 19.9: timeout, exit, reboot, with the log times', () => {
    const events = replay(fixture('gunicorn-19.9.log'));
    expect(brief(events)).toEqual([
      ['worker-boot', 8],
      ['worker-boot', 9],
      ['worker-boot', 10],
      ['worker-timeout', 9],
      ['worker-exit', 9],
      ['worker-boot', 14],
    ]);
    expect(events[3]).toMatchObject({ at: '2026-11-24T15:45:35.000Z', source: 'app' });
  });

  it('gunicorn 20.1: a worker stuck in C code is killed by signal 9 a second after its timeout', () => {
    const events = replay(fixture('gunicorn-20.1.log')).filter((e) => e.kind !== 'worker-boot');
    expect(brief(events)).toEqual([
      ['worker-timeout', 9],
      ['worker-exit', 9],
      ['worker-timeout', 10],
      ['worker-killed', 10],
      ['worker-exit', 8],
      ['worker-exit', 15],
      ['worker-exit', 17],
    ]);
  });

  it('gunicorn 21.2: two workers killed together are two timeouts; `exited with code 1` twice is one exit', () => {
    const events = replay(fixture('gunicorn-21.2.log')).filter((e) => e.kind !== 'worker-boot');
    expect(brief(events)).toEqual([
      ['worker-timeout', 7],
      ['worker-timeout', 8],
      ['worker-exit', 7],
      ['worker-killed', 8],
      ['worker-exit', 12],
      ['worker-exit', 13],
    ]);
    expect(events.find((e) => e.pid === 13)?.line).toMatch(/was sent SIGTERM!/);
  });

  it('gunicorn 22: the path of the killed request goes on the timeout, its SystemExit is no error', () => {
    const events = replay(fixture('gunicorn-22.0.log')).filter((e) => e.kind !== 'worker-boot');
    expect(brief(events)).toEqual([
      ['error', 10],
      ['worker-timeout', 9],
      ['worker-exit', 9],
    ]);
    expect(events[1]).toMatchObject({
      path: '/api/import?pages=100',
      line: expect.stringMatching(/WORKER TIMEOUT/),
    });
    // The unrelated app error: header and traceback collapse into one event with the exception line.
    expect(events[0]!.line).toBe(
      "[2026-11-24 15:45:12 +0000] [10] [ERROR] Error handling request /api/movies/999999 — KeyError: 'results'",
    );
    expect(events[0]!.path).toBe('/api/movies/999999');
    expect(events.some((e) => e.line.includes('SystemExit'))).toBe(false);
  });

  it('gunicorn boot failure: the exception and the halt reason are errors', () => {
    const errors = replay(fixture('gunicorn-boot-failure.log')).filter((e) => e.kind === 'error');
    expect(errors.map((e) => e.line)).toEqual([
      "[2026-11-24 15:44:53 +0000] [7] [ERROR] Exception in worker process — ModuleNotFoundError: No module named 'localmovies.wsgi'",
      '[2026-11-24 15:44:53 +0000] [1] [ERROR] Shutting down: Master',
      '[2026-11-24 15:44:53 +0000] [1] [ERROR] Reason: Worker failed to boot.',
    ]);
  });

  it('uWSGI 2.0: HARAKIRI with the request path, then the SIGKILL', () => {
    const events = replay(fixture('uwsgi-2.0.log')).filter((e) => e.kind !== 'worker-boot');
    expect(brief(events)).toEqual([
      ['worker-timeout', 9],
      ['worker-killed', 9],
    ]);
    expect(events[0]!.path).toBe('/api/import?pages=100');
  });

  it('uWSGI 2.1: a retried HARAKIRI of the same worker is one timeout, with its verbose timestamp', () => {
    const events = replay(fixture('uwsgi-2.1.log'));
    expect(brief(events)).toEqual([
      ['worker-boot', 9],
      ['worker-timeout', 9],
      ['worker-killed', 9],
      ['worker-boot', 14],
    ]);
    expect(events[1]!.at).toBe('2026-11-24T15:45:35.000Z');
  });

  it('uvicorn: one error per exception, the supervisor SIGKILL as a kill', () => {
    const events = replay(fixture('uvicorn-0.30.log'));
    expect(brief(events)).toEqual([
      ['error', undefined],
      ['worker-killed', 8],
    ]);
    expect(events[0]!.line).toBe('ERROR:    Exception in ASGI application — httpx.ReadTimeout: timed out');
  });

  it('Django: a chained traceback with multi-line messages is one error naming the path and the last exception', () => {
    const events = replay(fixture('django-runserver.log'));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'error', path: '/api/import' });
    expect(events[0]!.line).toBe(
      'Internal Server Error: /api/import — django.db.utils.IntegrityError: duplicate key value violates unique constraint "movies_movie_tmdb_id_key"',
    );
  });
});

describe('createLogObserver on Celery and Python logging', () => {
  it('Celery: a hard time limit and a killed pool process are errors, never web-worker kills', () => {
    const events = replay(fixture('celery-5.log'), 'worker');
    expect(brief(events)).toEqual([
      ['error', undefined],
      ['error', undefined],
      ['error', undefined],
    ]);
    expect(events[0]).toMatchObject({ at: '2026-11-24T15:50:02.201Z', source: 'worker' });
    expect(events[2]!.line).toMatch(/giving up$/);
  });
});

describe('createLogObserver behaviour', () => {
  it('a bare traceback becomes an error event at its start, even before the next line arrives', () => {
    const o = createLogObserver();
    const at = Date.parse('2026-11-24T15:45:00Z');
    o.push({ at, source: 'worker', line: 'Traceback (most recent call last):' });
    o.push({ at: at + 1, source: 'worker', line: '  File "/app/tasks.py", line 3, in run' });
    o.push({ at: at + 2, source: 'worker', line: 'ValueError: bad page' });
    expect(o.events()).toEqual([
      { at: '2026-11-24T15:45:00.000Z', kind: 'error', line: 'ValueError: bad page', source: 'worker' },
    ]);
    o.push({ at: at + 3, source: 'worker', line: '[2026-11-24 15:45:00 +0000] [1] [INFO] ok' });
    expect(o.events()).toHaveLength(1);
  });

  it('keeps tracebacks of different containers apart', () => {
    const o = createLogObserver();
    const at = Date.parse('2026-11-24T15:45:00Z');
    o.push({ at, source: 'app', line: 'Traceback (most recent call last):' });
    o.push({ at, source: 'worker', line: 'Traceback (most recent call last):' });
    o.push({ at, source: 'app', line: '  File "a.py", line 1' });
    o.push({ at, source: 'worker', line: '  File "b.py", line 1' });
    o.push({ at, source: 'worker', line: 'KeyError: 2' });
    o.push({ at, source: 'app', line: 'KeyError: 1' });
    expect(
      o
        .events()
        .map((e) => `${e.source}:${e.line}`)
        .sort(),
    ).toEqual(['app:KeyError: 1', 'worker:KeyError: 2']);
  });

  it('caps error events but always keeps worker events', () => {
    const o = createLogObserver({ maxErrors: 3 });
    const at = Date.parse('2026-11-24T15:45:00Z');
    for (let i = 0; i < 10; i += 1) o.push({ at: at + i, source: 'app', line: `ERROR:    boom ${i}` });
    o.push({ at: at + 20, source: 'app', line: '*** HARAKIRI ON WORKER 1 (pid: 9, try: 1) ***' });
    expect(o.events().map((e) => e.kind)).toEqual(['error', 'error', 'error', 'worker-timeout']);
    expect(o.droppedErrors()).toBe(7);
  });

  it('an `Error handling request` with no timeout before it stays an error', () => {
    const o = createLogObserver();
    o.push({
      at: Date.parse('2026-11-24T15:45:35.100Z'),
      source: 'app',
      line: '[2026-11-24 15:45:35 +0000] [9] [ERROR] Error handling request /x',
    });
    expect(o.events()).toMatchObject([{ kind: 'error', pid: 9, path: '/x' }]);
  });
});

// Real lines captured from the sample images (gunicorn 20.1 on Debian bookworm) by the stack helper.
const captured = (name: string) => `test/fixtures/gunicorn/${name}`;
describe.skipIf(!existsSync(captured('incident.log')))('captured logs of the sample images', () => {
  it('incident: one WORKER TIMEOUT of the importing worker, its exit, a new worker; no errors', () => {
    const events = replay(captured('incident.log'));
    const timeouts = events.filter((e) => e.kind === 'worker-timeout');
    expect(timeouts).toHaveLength(1);
    const pid = timeouts[0]!.pid!;
    expect(timeouts[0]!.line).toMatch(
      /^\[[\d-]+ [\d:]+ \+0000\] \[1\] \[CRITICAL\] WORKER TIMEOUT \(pid:\d+\)$/,
    );
    // Replayed a day later: the event keeps the time the line itself states.
    expect(timeouts[0]!.at).toBe(new Date(lineTimestamp(timeouts[0]!.line)!).toISOString());
    const after = events.slice(events.indexOf(timeouts[0]!) + 1);
    expect(after[0]).toMatchObject({ kind: 'worker-exit', pid });
    expect(after[1]).toMatchObject({ kind: 'worker-boot' });
    expect(events.filter((e) => e.kind === 'error')).toEqual([]);
  });

  it('fixed: no timeout, no kill, no error', () => {
    const events = replay(captured('fixed.log'));
    expect(events.filter((e) => !['worker-boot', 'worker-exit'].includes(e.kind))).toEqual([]);
    expect(events.filter((e) => e.kind === 'worker-boot')).toHaveLength(3);
  });

  it('the Celery worker of the fixed image: nothing to report', () => {
    expect(replay(captured('celery-worker.log'), 'worker')).toEqual([]);
  });
});

describe('createLogObserver: a proxy line is one cut request each', () => {
  it('three H12 lines of the edge within a second are three events; nginx retrying the next upstream for one client (*9) is one', () => {
    const observer = createLogObserver();
    const at = Date.parse('2026-12-02T05:56:10.818Z');
    for (const i of [1, 2, 3])
      observer.push({
        at: at + i * 20,
        source: 'edge',
        line: `2026-12-02T05:56:10.8${i}8+00:00 heroku[router]: at=error code=H12 desc="Request timeout" method=GET path="/slow?ms=2500&i=${i}" host=127.0.0.1:1 request_id=r${i} fwd="127.0.0.1" dyno=web.1 connect=0ms service=1006ms status=503 bytes=0 protocol=http`,
      });
    const nginx = readFileSync('test/fixtures/nginx/error.log', 'utf8').split('\n');
    for (const line of nginx.filter((l) => l.includes(' *9 ')))
      observer.push({ at: Date.parse('2026-12-02T04:27:07Z'), source: 'proxy', line });
    const events = observer.events();
    expect(events.filter((e) => e.source === 'edge').map((e) => e.path)).toEqual([
      '/slow?ms=2500&i=1',
      '/slow?ms=2500&i=2',
      '/slow?ms=2500&i=3',
    ]);
    expect(nginx.filter((l) => l.includes(' *9 ')).length).toBe(2);
    expect(events.filter((e) => e.source === 'proxy')).toHaveLength(1);
  });
});
