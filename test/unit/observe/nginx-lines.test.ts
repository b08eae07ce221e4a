// The error-log lines Debian's nginx 1.22 wrote in front of gunicorn (test/fixtures/nginx/
// error.log, captured by capture.sh): each cut becomes a proxy event naming its request.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lineTimestamp, parseServerLine } from '../../../src/observe/log-parsers.js';

const lines = readFileSync('test/fixtures/nginx/error.log', 'utf8').trim().split('\n');
const arrived = Date.parse('2030-01-01T00:00:00Z');

describe("nginx's error log", () => {
  it('reads every captured line as a proxy-timeout or upstream-closed event with its request', () => {
    const events = lines.map((l) => parseServerLine(l, arrived));
    expect(events.map((e) => [e?.pattern, e?.kind, e?.method, e?.path])).toEqual([
      ['nginx-upstream-timed-out', 'proxy-timeout', 'GET', '/slow?s=5'],
      ['nginx-upstream-closed', 'upstream-closed', 'GET', '/short/slow?s=6'],
      ['nginx-connect-failed', 'upstream-closed', 'GET', '/refused/slow'],
      ['nginx-upstream-timed-out', 'proxy-timeout', 'GET', '/pool/slow'],
      ['nginx-upstream-timed-out', 'proxy-timeout', 'GET', '/pool/slow'],
      ['nginx-no-live-upstreams', 'upstream-closed', 'GET', '/pool/slow'],
      ['nginx-upstream-timed-out', 'proxy-timeout', 'GET', '/down/slow'],
    ]);
  });

  it("takes the line's own time (nginx writes local time; UTC in the container)", () => {
    const first = lines[0]!;
    const stamp = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d:\d\d:\d\d)/.exec(first)!;
    expect(lineTimestamp(first)).toBe(Date.parse(`${stamp[1]}-${stamp[2]}-${stamp[3]}T${stamp[4]}Z`));
    expect(parseServerLine(first, arrived)?.at).toBe(new Date(lineTimestamp(first)!).toISOString());
  });

  it('leaves the access log and warnings alone', () => {
    const access = readFileSync('test/fixtures/nginx/access.log', 'utf8').trim().split('\n');
    for (const l of access) expect(parseServerLine(l, arrived)).toBeUndefined();
    expect(
      parseServerLine(
        '2026/12/02 04:26:58 [warn] 1#1: conflicting server name "_" on 0.0.0.0:80, ignored',
        arrived,
      ),
    ).toBeUndefined();
  });
});
