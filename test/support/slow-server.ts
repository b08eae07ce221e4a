// A real local HTTP server that is slow on purpose, for the edge emulator's rules:
//   /slow?ms=N            answers 200 after N ms (nothing before)
//   /drip?gap=N&n=K       sends its headers at once, then one byte every N ms, K times
//   /late-body?ms=N       sends its headers at once, the body after N ms
//   /echo                 answers 201 with the request's method, body and headers as JSON
// It records when each request's connection closed before its answer (the edge cut it), and
// when its work finished anyway (the worker goes on behind a cut).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlowServer {
  url: string;
  /** Per request path: when it arrived, when the client side closed early, when its work finished. */
  seen: { path: string; startedAt: number; closedEarlyAt?: number; finishedAt?: number }[];
  close(): Promise<void>;
}

export async function startSlowServer(): Promise<SlowServer> {
  const seen: SlowServer['seen'] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const n = (k: string, d: number) => Number(url.searchParams.get(k) ?? d);
    const record: SlowServer['seen'][number] = { path: req.url ?? '/', startedAt: Date.now() };
    seen.push(record);
    res.on('close', () => {
      if (!res.writableFinished) record.closedEarlyAt = Date.now();
    });
    const done = () => {
      record.finishedAt = Date.now();
    };
    if (url.pathname === '/slow') {
      setTimeout(
        () => {
          done();
          if (!res.destroyed) res.end('ok\n');
        },
        n('ms', 0),
      );
    } else if (url.pathname === '/drip') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.flushHeaders();
      let left = n('n', 5);
      const tick = setInterval(
        () => {
          if (res.destroyed) return clearInterval(tick);
          res.write('.');
          left -= 1;
          if (left === 0) {
            clearInterval(tick);
            done();
            res.end();
          }
        },
        n('gap', 50),
      );
    } else if (url.pathname === '/late-body') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.flushHeaders();
      setTimeout(
        () => {
          done();
          if (!res.destroyed) res.end('late\n');
        },
        n('ms', 0),
      );
    } else if (url.pathname === '/echo') {
      // The request body and headers back, as JSON: what passed through a proxy.
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        done();
        res.writeHead(201, { 'content-type': 'application/json', 'x-app': 'echo' });
        res.end(JSON.stringify({ method: req.method, body, headers: req.headers }));
      });
    } else {
      res.end('ok\n');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface Answer {
  status?: number;
  body: string;
  headers: http.IncomingHttpHeaders;
  ms: number;
  /** The connection closed before the response was complete. */
  error?: string;
}

/** One GET, timed, that reports a body cut short instead of throwing. */
export function get(url: string): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode, body, headers: res.headers, ms: performance.now() - started }),
      );
      res.on('close', () => {
        if (!res.complete)
          resolve({
            status: res.statusCode,
            body,
            headers: res.headers,
            ms: performance.now() - started,
            error: 'aborted',
          });
      });
      res.on('error', (e) =>
        resolve({
          status: res.statusCode,
          body,
          headers: res.headers,
          ms: performance.now() - started,
          error: e.message,
        }),
      );
    });
    req.on('error', (e) =>
      resolve({ body: '', headers: {}, ms: performance.now() - started, error: e.message }),
    );
  });
}
