// Readiness as wait strategies, on Testcontainers' model and with its names (`Wait.forHttp`,
// `Wait.forListeningPort`, `Wait.forLogMessage`, `Wait.forHealthCheck`, `Wait.forSuccessfulCommand`,
// `Wait.forAll`): each strategy is one probe, composed per container, and `waitUntilReady` runs it
// until ready, the deadline, the container's exit or Ctrl-C. Not Testcontainers' own strategies
// (`withWaitStrategy`): those run inside `start()`, which cannot see the container exit, stop on
// Ctrl-C, or let the app's setup command run while the server boots.
import http from 'node:http';
import type { StartedTestContainer } from 'testcontainers';
import { pause } from '../util/pause.js';
import type { Docker } from './docker-ops.js';
import type { LogLine } from './logs.js';

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
      const result = asResult(answer);
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

/** What a strategy may look at: the started container, its id, and its log lines so far. */
export interface WaitTarget {
  container: StartedTestContainer;
  id: string;
  docker: Docker;
  logs(): LogLine[];
}

export interface WaitStrategy {
  /** What it waits for, in the timeout message: `GET /healthz 2xx`, `port 6379`. */
  readonly what: string;
  probe(target: WaitTarget): Promise<ProbeResult>;
}

/** The strategies, named as Testcontainers names them. */
export const Wait = {
  /** A 2xx to GET `path` from the host, through the port mapped for `containerPort`. */
  forHttp(path: string, containerPort: number): WaitStrategy {
    return {
      what: `GET ${path} 2xx`,
      probe: (t) => httpProbe(t.container.getMappedPort(containerPort), path),
    };
  },
  /** Something listening on `port` inside the container. */
  forListeningPort(port: number): WaitStrategy {
    return { what: `port ${port}`, probe: (t) => portListening(t.container, port) };
  },
  /** A log line of the container matching `pattern` (the regex as the scenario wrote it). */
  forLogMessage(pattern: string): WaitStrategy {
    const re = new RegExp(pattern);
    return {
      what: `a log line matching /${pattern}/`,
      probe: async (t) => t.logs().some((l) => re.test(l.line)),
    };
  },
  /** The image's Docker healthcheck reports healthy (Postgres: pg_isready over TCP). */
  forHealthCheck(): WaitStrategy {
    return { what: 'its healthcheck', probe: (t) => healthy(t.docker, t.id) };
  },
  /** `command` exits 0 inside the container. */
  forSuccessfulCommand(command: string[]): WaitStrategy {
    return {
      what: `\`${command.join(' ')}\` exiting 0`,
      probe: async (t) => (await t.container.exec(command)).exitCode === 0,
    };
  },
  /** Every strategy at once: ready when all are; the message names those still waiting. */
  forAll(strategies: WaitStrategy[]): WaitStrategy {
    return {
      what: strategies.map((s) => s.what).join(' and '),
      probe: async (t) => {
        const answers = await Promise.all(strategies.map((s) => s.probe(t).then(asResult)));
        const waiting = answers.flatMap((a, i) => (a.ok ? [] : [a.detail ?? strategies[i]!.what]));
        if (waiting.length === 0) return { ok: true };
        return {
          ok: false,
          detail: waiting.join('; '),
          retryMs: Math.max(...answers.map((a) => a.retryMs ?? 0)) || undefined,
        };
      },
    };
  },
};

export interface WaitOptions {
  /** Epoch ms. */
  deadline: number;
  /** Rejects the wait early: the container (or another of the stack) exited, Ctrl-C. */
  abort: Promise<never>;
  /** The error to throw at the deadline, given what was waited for and what the last probe saw. */
  onTimeout: (what: string, last: string | undefined) => Error;
  intervalMs?: number;
}

export function waitUntilReady(
  target: WaitTarget,
  strategy: WaitStrategy,
  options: WaitOptions,
): Promise<void> {
  return pollUntil({
    deadline: options.deadline,
    intervalMs: options.intervalMs ?? 100,
    probe: () => strategy.probe(target),
    onTimeout: (last) => options.onTimeout(strategy.what, last),
    abort: options.abort,
  });
}

function asResult(answer: ProbeResult): { ok: boolean; detail?: string; retryMs?: number } {
  return typeof answer === 'boolean' ? { ok: answer } : answer;
}
