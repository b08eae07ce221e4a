// An image's own gunicorn access_log_format, when it carries the request time, read into time in
// the worker; formats without it (gunicorn's default among them) give no parser.
import { describe, expect, it } from 'vitest';
import { accessFormatParser } from '../../../src/observe/access-format.js';

/** gunicorn's default access_log_format (config.py, AccessLogFormat). */
const DEFAULT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"';

describe('accessFormatParser', () => {
  it('gives nothing for a format without request time, or without the request', () => {
    expect(accessFormatParser(DEFAULT)).toBeUndefined();
    expect(accessFormatParser('%(h)s %(D)s')).toBeUndefined();
    expect(accessFormatParser('"%(r)s" %(T)s %(s)s')).toBeUndefined();
  });

  it('reads the default format with %(D)s appended (µs), quoted user agent and all', () => {
    const parse = accessFormatParser(`${DEFAULT} %(D)s`)!;
    const line =
      '172.17.0.1 - - [01/Dec/2026:23:09:18 +0000] "POST /api/import?pages=1 HTTP/1.1" 200 31 "-" "autocannon/8 (x; y)" 1195595';
    expect(parse(line, 7, 'app')).toEqual({
      at: 7,
      method: 'POST',
      path: '/api/import?pages=1',
      status: 200,
      workerMs: 1195.595,
      source: 'app',
    });
  });

  it('reads %(m)s %(U)s?%(q)s with %(L)s (seconds) or %(M)s (ms)', () => {
    const seconds = accessFormatParser('%(m)s %(U)s?%(q)s %(s)s in %(L)s')!;
    expect(seconds('GET /api/movies?page=2 200 in 1.250000', 0)).toMatchObject({
      method: 'GET',
      path: '/api/movies?page=2',
      workerMs: 1250,
    });
    expect(seconds('GET /healthz? 200 in 0.004000', 0)).toMatchObject({ path: '/healthz', workerMs: 4 });
    const ms = accessFormatParser('[%(p)s] "%(r)s" %(s)s %(M)sms')!;
    expect(ms('[<9>] "GET /x HTTP/1.1" 404 12ms', 0)).toMatchObject({ status: 404, workerMs: 12 });
  });

  it('gives nothing for other lines', () => {
    const parse = accessFormatParser(`${DEFAULT} %(D)s`)!;
    expect(parse('[2026-12-01 23:09:13 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:13)', 0)).toBeUndefined();
  });
});
