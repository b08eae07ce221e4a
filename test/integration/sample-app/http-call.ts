// One HTTP request with node:http and no client-side timeout, so a request the server kills is
// seen as what it is (an empty reply: ECONNRESET / "socket hang up") at its real latency.
import { request } from 'node:http';

export interface CallOutcome {
  ms: number;
  status?: number;
  body?: string;
  /** Node's error code when no response came (ECONNRESET for gunicorn's killed worker). */
  error?: string;
  message?: string;
}

export function call(method: string, url: string, body?: unknown): Promise<CallOutcome> {
  const started = performance.now();
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method,
        agent: false,
        headers: payload
          ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
          : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            ms: performance.now() - started,
            status: res.statusCode,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', (e: NodeJS.ErrnoException) =>
          resolve({ ms: performance.now() - started, error: e.code ?? 'ERROR', message: e.message }),
        );
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) =>
      resolve({ ms: performance.now() - started, error: e.code ?? 'ERROR', message: e.message }),
    );
    req.end(payload);
  });
}

/** GET/POST returning parsed JSON; throws with the body when the status is not the expected one. */
export async function json<T>(method: string, url: string, expected: number, body?: unknown): Promise<T> {
  const r = await call(method, url, body);
  if (r.status !== expected)
    throw new Error(`${method} ${url}: expected ${expected}, got ${r.status ?? r.error} ${r.body ?? ''}`);
  return JSON.parse(r.body ?? 'null') as T;
}
