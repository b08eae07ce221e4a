// Container output as lines with arrival times. Docker sends stdout and stderr multiplexed in
// frames (8-byte header: stream, size) that are not aligned with lines; this demultiplexes the
// frames and splits each stream into lines itself, so the order between stdout and stderr is the
// order they arrived in. Lines go to a listener and into a bounded ring buffer per container.
import { StringDecoder } from 'node:string_decoder';

export interface LogLine {
  /** Epoch ms the line arrived. */
  at: number;
  /** Container name in the stack: `app`, `postgres`, `worker`, ... or `setup` for the setup command. */
  source: string;
  stream?: 'stdout' | 'stderr';
  line: string;
}

/** A line longer than this is cut and delivered (binary output without newlines must not grow memory). */
const MAX_LINE = 64 * 1024;

/** Splits one stream's text into lines; keeps the unfinished tail for the next chunk. */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private tail = '';

  push(chunk: Buffer): string[] {
    const text = this.tail + this.decoder.write(chunk);
    const parts = text.split('\n');
    this.tail = parts.pop()!;
    if (this.tail.length > MAX_LINE) {
      parts.push(this.tail);
      this.tail = '';
    }
    return parts.map(trimCr);
  }

  end(): string[] {
    const rest = this.tail + this.decoder.end();
    this.tail = '';
    return rest === '' ? [] : [trimCr(rest)];
  }
}

function trimCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** Parses Docker's multiplexed log frames from arbitrary chunks. */
export class FrameDemuxer {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly onFrame: (stream: 'stdout' | 'stderr', payload: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      const stream = this.pending[0] === 2 ? 'stderr' : 'stdout';
      this.onFrame(stream, this.pending.subarray(8, 8 + size));
      this.pending = this.pending.subarray(8 + size);
    }
  }
}

/** Turns multiplexed chunks of one container into LogLines. */
export function logLineReader(source: string, emit: (line: LogLine) => void) {
  const splitters = { stdout: new LineSplitter(), stderr: new LineSplitter() };
  const demux = new FrameDemuxer((stream, payload) => {
    const at = Date.now();
    for (const line of splitters[stream].push(payload)) emit({ at, source, stream, line });
  });
  return {
    push: (chunk: Buffer) => demux.push(chunk),
    end: () => {
      const at = Date.now();
      for (const stream of ['stdout', 'stderr'] as const) {
        for (const line of splitters[stream].end()) emit({ at, source, stream, line });
      }
    },
  };
}

/** The last `perSource` lines of each container, readable merged in arrival order. */
export class LogBook {
  private readonly bySource = new Map<string, { seq: number; line: LogLine }[]>();
  private seq = 0;

  constructor(private readonly perSource = 5_000) {}

  push(line: LogLine): void {
    let lines = this.bySource.get(line.source);
    if (!lines) {
      lines = [];
      this.bySource.set(line.source, lines);
    }
    lines.push({ seq: this.seq++, line });
    // Trim in batches: shifting one element per line would be quadratic.
    if (lines.length > this.perSource * 1.25) lines.splice(0, lines.length - this.perSource);
  }

  all(): LogLine[] {
    const merged = [...this.bySource.values()].flat();
    merged.sort((a, b) => a.seq - b.seq);
    return merged.map((e) => e.line);
  }

  /** The last `n` lines of one container, as text, repeats collapsed (see lastLines). */
  tail(source: string, n: number): string[] {
    return lastLines(
      (this.bySource.get(source) ?? []).map((e) => e.line.line),
      n,
    );
  }

  /** Every retained line of one container. */
  lines(source: string): LogLine[] {
    return (this.bySource.get(source) ?? []).map((e) => e.line);
  }
}

/**
 * The last `n` lines for an error message, with a run of lines that differ only in numbers
 * (timestamps, pids) collapsed into its last line and a count — so a readiness probe's hundred
 * `Service Unavailable: /healthz` lines do not push the boot messages out of view.
 */
export function lastLines(lines: string[], n: number): string[] {
  const out: string[] = [];
  let i = lines.length - 1;
  while (i >= 0 && out.length < n) {
    const shape = lines[i]!.replace(/\d+/g, '#');
    let j = i - 1;
    while (j >= 0 && lines[j]!.replace(/\d+/g, '#') === shape) j -= 1;
    const repeats = i - j;
    out.push(repeats > 2 ? `${lines[i]}   (and ${repeats - 1} similar lines before it)` : lines[i]!);
    if (repeats === 2 && out.length < n) out.push(lines[i - 1]!);
    i = j;
  }
  return out.reverse();
}
