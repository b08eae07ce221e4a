import { describe, expect, it } from 'vitest';
import { LineSplitter, LogBook, type LogLine, lastLines, logLineReader } from '../../../src/stack/logs.js';

/** A Docker multiplexed-log frame: stream byte, three zero bytes, big-endian size, payload. */
function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('logLineReader', () => {
  it('demultiplexes frames cut anywhere and splits lines across frames, keeping arrival order', () => {
    const lines: LogLine[] = [];
    const reader = logLineReader('app', (l) => lines.push(l));
    const bytes = Buffer.concat([
      frame(2, '[INFO] Booting wor'),
      frame(1, 'out one\nout '),
      frame(2, 'ker with pid: 8\r\n'),
      frame(1, 'two\n'),
      frame(2, 'héllo wörld\npartial'),
    ]);
    // Deliver in 5-byte chunks: headers and UTF-8 characters are split too.
    for (let i = 0; i < bytes.length; i += 5) reader.push(bytes.subarray(i, i + 5));
    reader.end();
    expect(lines.map((l) => [l.stream, l.line])).toEqual([
      ['stdout', 'out one'],
      ['stderr', '[INFO] Booting worker with pid: 8'],
      ['stdout', 'out two'],
      ['stderr', 'héllo wörld'],
      ['stderr', 'partial'],
    ]);
    expect(lines.every((l) => l.source === 'app' && typeof l.at === 'number')).toBe(true);
  });

  it('cuts a line that never ends instead of growing without bound', () => {
    const s = new LineSplitter();
    expect(s.push(Buffer.alloc(70 * 1024, 'x'))).toHaveLength(1);
    expect(s.end()).toEqual([]);
  });
});

describe('LogBook', () => {
  it('keeps a bounded tail per container and merges in arrival order', () => {
    const book = new LogBook(10);
    for (let i = 0; i < 30; i += 1) {
      book.push({ at: i, source: i % 3 === 0 ? 'postgres' : 'app', line: `line ${i}` });
    }
    const app = book.lines('app');
    expect(app.length).toBeGreaterThanOrEqual(10);
    expect(app.length).toBeLessThanOrEqual(13);
    expect(app.at(-1)?.line).toBe('line 29');
    const all = book.all();
    expect(all.map((l) => l.at)).toEqual([...all.map((l) => l.at)].sort((a, b) => a - b));
    expect(book.tail('postgres', 2)).toEqual(['line 27   (and 9 similar lines before it)']);
  });
});

describe('lastLines', () => {
  it('collapses runs of lines that differ only in numbers', () => {
    const lines = [
      'Starting gunicorn 20.1.0',
      'Booting worker with pid: 7',
      'Booting worker with pid: 8',
      ...Array.from(
        { length: 50 },
        (_, i) => `2026-11-25 06:46:${10 + (i % 40)} ERROR [pid:${i}] Service Unavailable: /healthz`,
      ),
    ];
    expect(lastLines(lines, 20)).toEqual([
      'Starting gunicorn 20.1.0',
      'Booting worker with pid: 7',
      'Booting worker with pid: 8',
      '2026-11-25 06:46:19 ERROR [pid:49] Service Unavailable: /healthz   (and 49 similar lines before it)',
    ]);
    expect(lastLines(['a', 'b', 'c'], 2)).toEqual(['b', 'c']);
  });
});
