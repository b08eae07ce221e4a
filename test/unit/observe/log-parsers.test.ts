import { describe, expect, it } from 'vitest';
import { linePatterns, lineTimestamp, parseServerLine } from '../../../src/observe/log-parsers.js';

const arrived = Date.parse('2026-11-24T15:45:35.420Z');
const parse = (line: string, at = arrived) => parseServerLine(line, at);

describe('parseServerLine: gunicorn', () => {
  it('WORKER TIMEOUT: the pid in the text is the killed worker, not the master that wrote it', () => {
    expect(parse('[2026-11-24 15:45:35 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:9)')).toMatchObject({
      kind: 'worker-timeout',
      pid: 9,
      line: '[2026-11-24 15:45:35 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:9)',
      pattern: 'gunicorn-timeout',
    });
  });

  it.each([
    ['[2026-11-24 15:45:35 +0000] [9] [INFO] Worker exiting (pid: 9)', 'worker-exit', 9],
    ['[2026-11-24 15:45:36 +0000] [14] [INFO] Booting worker with pid: 14', 'worker-boot', 14],
    [
      '[2026-11-24 15:45:36 +0000] [1] [ERROR] Worker (pid:8) was sent SIGKILL! Perhaps out of memory?',
      'worker-killed',
      8,
    ],
    [
      '[2026-11-24 15:46:13 +0000] [1] [WARNING] Worker with pid 10 was terminated due to signal 9',
      'worker-killed',
      10,
    ],
    [
      '[2026-11-24 15:46:13 +0000] [1] [WARNING] Worker with pid 10 was terminated due to signal 15',
      'worker-exit',
      10,
    ],
    ['[2026-11-24 15:45:36 +0000] [1] [ERROR] Worker (pid:7) exited with code 1', 'worker-exit', 7],
    ['[2026-11-24 15:45:36 +0000] [1] [ERROR] Worker (pid:7) exited with code 1.', 'worker-exit', 7],
    ['[2026-11-24 15:46:41 +0000] [1] [INFO] Worker (pid:13) was sent SIGTERM!', 'worker-exit', 13],
    ['[2026-11-24 15:46:41 +0000] [1] [WARNING] Worker (pid:13) was sent SIGABRT!', 'worker-exit', 13],
  ] as const)('%s → %s', (line, kind, pid) => {
    expect(parse(line)).toMatchObject({ kind, pid });
  });

  it('SIGTERM at shutdown is not a timeout and not a kill', () => {
    const e = parse('[2026-11-24 15:46:41 +0000] [1] [INFO] Worker (pid:13) was sent SIGTERM!');
    expect(e?.kind).toBe('worker-exit');
  });

  it('gunicorn 22: `Error handling request` carries the worker pid and the path with its query', () => {
    expect(
      parse('[2026-11-24 15:45:35 +0000] [9] [ERROR] Error handling request /api/import?pages=100'),
    ).toMatchObject({
      kind: 'error',
      pid: 9,
      path: '/api/import?pages=100',
      namesTimeoutPath: true,
    });
  });

  it('boot failures and other error lines are errors; info lines are nothing', () => {
    expect(parse('[2026-11-24 15:44:53 +0000] [1] [ERROR] Reason: Worker failed to boot.')?.kind).toBe(
      'error',
    );
    expect(parse('[2026-11-24 15:44:53 +0000] [1] [INFO] Reason: App failed to load.')?.kind).toBe('error');
    expect(parse('[2026-11-24 15:44:53 +0000] [7] [ERROR] Exception in worker process')?.kind).toBe('error');
    expect(
      parse('[2026-11-24 15:44:52 +0000] [1] [INFO] Listening at: http://0.0.0.0:8000 (1)'),
    ).toBeUndefined();
    expect(parse('[2026-11-24 15:47:01 +0000] [1] [INFO] Handling signal: term')).toBeUndefined();
    expect(
      parse('172.17.0.1 - - [24/Nov/2026:15:45:30 +0000] "GET /api/movies HTTP/1.1" 200 512'),
    ).toBeUndefined();
  });
});

describe('parseServerLine: uWSGI, uvicorn, Django', () => {
  it.each([
    ['*** HARAKIRI ON WORKER 1 (pid: 9) ***', 'worker-timeout', 9],
    ['*** HARAKIRI ON WORKER 1 (pid: 9, try: 1) ***', 'worker-timeout', 9],
    [
      'Tue Nov 24 15:45:35 2026 - *** HARAKIRI ON WORKER 2 (pid: 10, try: 1, graceful: yes) ***',
      'worker-timeout',
      10,
    ],
    ['DAMN ! worker 1 (pid: 9) died, killed by signal 9 :( trying respawn ...', 'worker-killed', 9],
    ['DAMN ! worker 1 (pid: 9) MISTERIOUSLY killed by signal 9 :( trying respawn ...', 'worker-killed', 9],
    ['DAMN ! worker 1 (pid: 9) died :( trying respawn ...', 'worker-exit', 9],
    ['Respawned uWSGI worker 1 (new pid: 14)', 'worker-boot', 14],
    ['spawned uWSGI worker 2 (pid: 10, cores: 1)', 'worker-boot', 10],
    ['ERROR:    Worker (pid:8) exited with code -9. Perhaps out of memory?', 'worker-killed', 8],
  ] as const)('%s → %s', (line, kind, pid) => {
    expect(parse(line)).toMatchObject({ kind, pid });
  });

  it('uWSGI names the request the harakiri interrupted', () => {
    const line =
      'HARAKIRI: --- uWSGI worker 1 (pid: 9) WAS managing request /api/import?pages=100 since Tue Nov 24 15:45:05 2026 ---';
    expect(parse(line)).toMatchObject({ kind: 'worker-timeout', pid: 9, path: '/api/import?pages=100' });
  });

  it('uvicorn ERROR lines and Django 500s are errors; access lines are not', () => {
    expect(parse('ERROR:    Exception in ASGI application')?.kind).toBe('error');
    expect(parse('Internal Server Error: /api/import')).toMatchObject({ kind: 'error', path: '/api/import' });
    expect(
      parse('INFO:     172.17.0.1:50418 - "POST /api/import HTTP/1.1" 500 Internal Server Error'),
    ).toBeUndefined();
    expect(parse('[24/Nov/2026 15:45:35] "POST /api/import HTTP/1.1" 500 145')).toBeUndefined();
  });

  it('every pattern has a unique name and a server', () => {
    const names = linePatterns.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('event time', () => {
  it("uses the line's own timestamp (with its offset) when the line arrived later", () => {
    const later = Date.parse('2026-11-25T09:00:00Z');
    expect(parse('[2026-11-24 16:45:35 +0100] [1] [CRITICAL] WORKER TIMEOUT (pid:9)', later)?.at).toBe(
      '2026-11-24T15:45:35.000Z',
    );
  });

  it('keeps the sharper arrival time when the line arrived within its stamped second', () => {
    expect(parse('[2026-11-24 15:45:35 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:9)')?.at).toBe(
      '2026-11-24T15:45:35.420Z',
    );
  });

  it('uses the arrival time for lines without a timestamp', () => {
    expect(parse('*** HARAKIRI ON WORKER 1 (pid: 9, try: 1) ***')?.at).toBe('2026-11-24T15:45:35.420Z');
  });

  it('reads gunicorn, Python logging and uWSGI timestamps', () => {
    expect(lineTimestamp('[2026-11-24 15:45:35 -0500] [1] [INFO] x')).toBe(
      Date.parse('2026-11-24T20:45:35Z'),
    );
    expect(lineTimestamp('2026-11-24 15:45:35,123 ERROR boom')).toBe(Date.parse('2026-11-24T15:45:35.123Z'));
    expect(lineTimestamp('Tue Nov 24 15:45:35 2026 - *** HARAKIRI')).toBe(Date.parse('2026-11-24T15:45:35Z'));
    expect(lineTimestamp('Tue Nov  3 05:04:03 2026 - x')).toBe(Date.parse('2026-11-03T05:04:03Z'));
    expect(lineTimestamp('ERROR:    Exception in ASGI application')).toBeUndefined();
  });
});
