// Follows a container's merged stdout/stderr as whole lines (Testcontainers hands out chunks that
// are not line-aligned), keeps every line, and lets a test wait for a line matching a pattern.
import { createInterface } from 'node:readline';
import type { StartedTestContainer } from 'testcontainers';

export interface LogTail {
  readonly lines: readonly string[];
  /** Resolves with the first line at index >= `from` that matches; rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs: number, from?: number): Promise<string>;
  /** Resolves when the log stream ends (the container stopped), or after `timeoutMs`. */
  ended(timeoutMs: number): Promise<void>;
}

export async function followLogs(container: StartedTestContainer): Promise<LogTail> {
  const stream = await container.logs();
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let done = false;
  const wake = (): void => {
    for (const w of [...waiters]) w();
  };
  const reader = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  reader.on('line', (line) => {
    lines.push(line);
    wake();
  });
  reader.on('close', () => {
    done = true;
    wake();
  });

  function until<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = (): boolean => {
        const found = check();
        if (found === undefined) return false;
        cleanup();
        resolve(found);
        return true;
      };
      // The timer also keeps the process alive: the log socket itself is unref'd.
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(`${what} not seen within ${timeoutMs} ms; last lines:\n${lines.slice(-15).join('\n')}`),
        );
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        waiters.delete(waiter);
      };
      const waiter = (): void => {
        attempt();
      };
      waiters.add(waiter);
      attempt();
    });
  }

  return {
    lines,
    waitFor: (pattern, timeoutMs, from = 0) =>
      until(
        () => lines.slice(from).find((l) => pattern.test(l)),
        timeoutMs,
        `a log line matching ${pattern}`,
      ),
    ended: (timeoutMs) =>
      until(() => (done ? true : undefined), timeoutMs, 'the end of the log').then(
        () => undefined,
        () => undefined,
      ),
  };
}
