// A request record in the server's log is never an error of the server, whatever its status:
// the 500s are counted from the traffic already. Real lines of bookshelf:dev (gunicorn 20.1, its
// default access format on stdout) answering 500 while its tables do not exist yet.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createLogObserver } from '../../../src/observe/log-observer.js';
import { parseServerLine } from '../../../src/observe/log-parsers.js';

const lines = readFileSync('test/fixtures/gunicorn/bookshelf-no-tables.log', 'utf8').split('\n');
const accessLines = lines.filter((l) => /^172\.18\.0\.1 - - \[/.test(l));

function replay(input: string[]) {
  const observer = createLogObserver();
  const start = Date.parse('2026-12-02T16:19:40Z');
  input.forEach((line, i) => {
    observer.push({ at: start + i, source: 'app', line });
  });
  return observer.events();
}

describe('access-log lines are never server errors', () => {
  it('no gunicorn access line states an event, the 500s included', () => {
    expect(accessLines.some((l) => l.includes('" 500 '))).toBe(true);
    for (const line of accessLines) expect(parseServerLine(line, 0), line).toBeUndefined();
    // An access line in an own format keeping the request line and status reads the same.
    expect(
      parseServerLine('10.0.0.7 [02/Dec/2026:16:19:40 +0000] "POST /movies/ HTTP/1.1" 500 231295 0.412s', 0),
    ).toBeUndefined();
  });

  it('the log as written: the three tracebacks are the errors, each with its exception', () => {
    const errors = replay(lines).filter((e) => e.kind === 'error');
    const exception = 'django.db.utils.ProgrammingError: relation "books_book" does not exist';
    expect(errors.map((e) => e.line)).toEqual([
      `2026-12-02 16:19:40,442 ERROR django.request [pid:7] Internal Server Error: /books/ — ${exception}`,
      `2026-12-02 16:19:40,564 ERROR django.request [pid:7] Internal Server Error: /books/ — ${exception}`,
      `2026-12-02 16:19:40,700 ERROR django.request [pid:8] Internal Server Error: /books/ — ${exception}`,
    ]);
  });

  it("another worker's access line arriving inside a traceback (stdout and stderr interleave) is neither the error nor its end", () => {
    const at = lines.findIndex((l) => l.startsWith('  File "/app/books/pages.py"'));
    const interleaved = [...lines.slice(0, at), accessLines[1]!, ...lines.slice(at)];
    const errors = replay(interleaved).filter((e) => e.kind === 'error');
    expect(errors).toHaveLength(3);
    for (const e of errors) {
      expect(e.line).not.toContain('HTTP/1.1"');
      expect(e.line).toContain('— django.db.utils.ProgrammingError: relation "books_book" does not exist');
    }
  });
});
