// Access-log lines: the format the harness injects into gunicorn (captured from the real
// localmovies:incident image, test/fixtures/gunicorn/one-sync-worker.log) and uWSGI's default
// request line become each request's time in the worker, and never server events.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createAccessLog, isAccessLine, parseAccessLine } from '../../../src/observe/access-log.js';
import { createLogObserver } from '../../../src/observe/log-observer.js';
import { parseServerLine } from '../../../src/observe/log-parsers.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter(Boolean);
const gunicornLines = fixture('gunicorn/one-sync-worker.log');

describe('parseAccessLine', () => {
  it('reads the injected gunicorn line: method, path as sent, status, µs in the worker, pid', () => {
    const line = gunicornLines.find((l) => l.includes('POST /api/import'))!;
    expect(line).toBe('smokestack-access <14> "POST /api/import?pages=1 HTTP/1.1" 200 1195595');
    expect(parseAccessLine(line, 1_000, 'app')).toEqual({
      at: 1_000,
      method: 'POST',
      path: '/api/import?pages=1',
      status: 200,
      workerMs: 1195.595,
      pid: 14,
      source: 'app',
    });
  });

  it('finds every access line of the real run and nothing else', () => {
    const entries = gunicornLines.flatMap((l) => parseAccessLine(l, 0) ?? []);
    expect(entries.map((e) => `${e.method} ${e.path.split('?')[0]}`)).toEqual([
      ...Array(4).fill('GET /healthz'),
      ...Array(6).fill('POST /api/import'),
    ]);
    // One sync worker, one page of 1 s each: ~1-2 s in the worker per import, however long the queue.
    for (const e of entries.slice(4)) expect(e.workerMs).toBeGreaterThan(1000);
  });

  it("reads uWSGI's default request line (msecs)", () => {
    const line = fixture('server-logs/uwsgi-2.0.log').find((l) => l.includes('msecs'))!;
    expect(parseAccessLine(line, 5)).toMatchObject({
      method: 'GET',
      path: '/api/movies?page=1',
      status: 200,
      workerMs: 41,
      pid: 10,
    });
  });

  it("gives nothing for uvicorn's access line: it has no request time", () => {
    const line = fixture('server-logs/uvicorn-0.30.log').find((l) => l.includes('"GET '))!;
    expect(parseAccessLine(line, 0)).toBeUndefined();
  });
});

describe('access lines are never server events', () => {
  it('a 500 to a path that says ERROR is a request, not an error line', () => {
    const line = 'smokestack-access <9> "GET /ERROR/CRITICAL] HTTP/1.1" 500 1200';
    expect(isAccessLine(line)).toBe(true);
    expect(parseServerLine(line, 0)).toBeUndefined();
  });

  it("an image's own access line (gunicorn's default format) with a 500 is no event either", () => {
    const line =
      '172.17.0.1 - - [01/Dec/2026:23:09:17 +0000] "GET /api/ERROR HTTP/1.1" 500 145 "-" "CRITICAL agent" 1200';
    expect(parseServerLine(line, 0)).toBeUndefined();
  });

  it('the real run gives the boot kill and worker events only, no error from its access lines', () => {
    const observer = createLogObserver();
    gunicornLines.forEach((line, i) => {
      observer.push({ at: i, source: 'app', line });
    });
    expect(observer.events().map((e) => e.kind)).toEqual([
      'worker-boot',
      'worker-timeout',
      'worker-exit',
      'worker-boot',
    ]);
  });

  it('an access line ends a traceback being read', () => {
    const observer = createLogObserver();
    const lines = [
      'Traceback (most recent call last):',
      '  File "x.py", line 1, in <module>',
      'ValueError: boom',
      'smokestack-access <9> "GET /x HTTP/1.1" 200 1200',
    ];
    lines.forEach((line, i) => {
      observer.push({ at: i, source: 'app', line });
    });
    expect(observer.events()).toHaveLength(1);
    expect(observer.events()[0]!.line).toBe('ValueError: boom');
  });
});

describe('createAccessLog', () => {
  it('keeps entries with their arrival time and source, up to its cap', () => {
    const log = createAccessLog(2);
    gunicornLines.forEach((line, i) => {
      log.push({ at: i, source: 'app', line });
    });
    expect(log.entries()).toHaveLength(2);
    expect(log.entries()[0]).toMatchObject({ path: '/healthz', source: 'app' });
  });
});
