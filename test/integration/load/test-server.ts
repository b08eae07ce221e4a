// A loopback node:http server for the load tests: fast, slow, closing, killing and hanging routes,
// an echo, and a tiny import job API (POST starts a job, GET reports it done on the third poll).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  baseUrl: string;
  /** Every request seen: method, url, body. */
  seen: { method: string; url: string; body: string; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  const seen: TestServer['seen'] = [];
  const polls = new Map<string, number>();
  let jobs = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      seen.push({ method: req.method ?? '', url: req.url ?? '', body, headers: req.headers });
      const json = (status: number, data: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(data));
      };
      const p = url.pathname;
      if (p === '/slow') setTimeout(() => res.end('ok'), Number(url.searchParams.get('ms') ?? 50));
      else if (p === '/close') {
        res.writeHead(200, { connection: 'close' });
        res.end('bye');
      } else if (p === '/kill') setTimeout(() => req.socket.destroy(), 30);
      else if (p === '/reset') setTimeout(() => req.socket.resetAndDestroy(), 30);
      else if (p === '/hang') return;
      else if (p === '/fail') json(500, { error: 'boom' });
      else if (p === '/echo') json(200, { method: req.method, url: req.url, body, headers: req.headers });
      else if (p === '/api/import' && req.method === 'POST')
        json(202, { id: `job-${++jobs}`, job: { state: 'queued' } });
      else if (p.startsWith('/api/import/')) {
        const id = p.slice('/api/import/'.length);
        const n = (polls.get(id) ?? 0) + 1;
        polls.set(id, n);
        json(200, { id, status: n >= 3 ? 'done' : 'running', polls: n });
      } else if (p === '/text') res.end('not json');
      else res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
