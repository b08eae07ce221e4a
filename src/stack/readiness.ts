// Readiness probes the stack runs itself (instead of Testcontainers' wait strategies) so that a
// wait sees its container exit, stops on Ctrl-C and keeps the scenario's deadline: HTTP 2xx from
// the host through the mapped port, a port listening inside the container, a log line, the
// Postgres healthcheck. Each probe answers quickly; pollUntil repeats it.
import http from 'node:http';
import type { StartedTestContainer } from 'testcontainers';
import { pause } from '../util/pause.js';
import type { Docker } from './docker-ops.js';

/** A probe's answer: ready or not, what it saw (for the timeout message), and when to ask again. */
export type ProbeResult = boolean | { ok: boolean; detail?: string; retryMs?: number };

export interface PollOptions {
  /** Epoch ms after which onTimeout's error is thrown. */
  deadline: number;
  intervalMs: number;
  probe: () => Promise<ProbeResult>;
  /** Gets what the last probe saw, e.g. `503 database unavailable`. */
  onTimeout: (last: string | undefined) => Error | Promise<Error>;
  /** Rejects the wait early: the container exited, Ctrl-C. */
  abort?: Promise<never>;
}

export async function pollUntil(options: PollOptions): Promise<void> {
  let stop = false;
  let last: string | undefined;
  const loop = async () => {
    while (!stop) {
      const answer = await options
        .probe()
        .catch((error: unknown): ProbeResult => ({ ok: false, detail: String(error) }));
      const result = typeof answer === 'boolean' ? { ok: answer } : answer;
      if (result.ok) return;
      last = result.detail ?? last;
      if (Date.now() >= options.deadline) throw await options.onTimeout(last);
      const wait = result.retryMs ?? options.intervalMs;
      await pause(Math.min(wait, Math.max(0, options.deadline - Date.now())));
    }
  };
  try {
    await (options.abort ? Promise.race([loop(), options.abort]) : loop());
  } finally {
    stop = true;
  }
}

/**
 * One GET from the host. Before the server listens, Docker's proxy accepts and resets: ask again
 * soon. Once it answers non-2xx, ask less often — every probe may write an error to the app's log.
 */
export function httpProbe(port: number, path: string, timeoutMs = 2_000): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false, timeout: timeoutMs }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) {
        res.resume();
        resolve({ ok: true });
        return;
      }
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < 200) body += chunk;
      });
      res.on('end', () =>
        resolve({ ok: false, detail: `${status} ${firstLine(body)}`.trim(), retryMs: 500 }),
      );
      res.on('error', () => resolve({ ok: false, detail: `${status}`, retryMs: 500 }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({
        ok: false,
        detail:
          error.code === 'ECONNRESET'
            ? 'connection reset (not listening yet?)'
            : (error.code ?? error.message),
      }),
    );
  });
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 100 ? `${line.slice(0, 100)}…` : line;
}

/**
 * Is anything listening on this TCP port inside the container? Read from /proc/net/tcp{,6}
 * (state 0A = LISTEN) with grep, present in nearly every image; a host-side connect proves
 * nothing because Docker's proxy accepts at once.
 */
export async function portListening(container: StartedTestContainer, port: number): Promise<boolean> {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const result = await container.exec([
    'grep',
    '-qiE',
    `^ *[0-9]+: [0-9A-F]+:${hex} [0-9A-F]+:0000 0A`,
    '/proc/net/tcp',
    '/proc/net/tcp6',
  ]);
  return result.exitCode === 0;
}

/** The container's Docker healthcheck reports healthy (Postgres: pg_isready over TCP). */
export async function healthy(docker: Docker, id: string): Promise<boolean> {
  const { State } = await docker.getContainer(id).inspect();
  return State.Health?.Status === 'healthy';
}
