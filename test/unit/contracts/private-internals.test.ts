// The private internals of libraries smokestack leans on, pinned to exact versions in package.json.
// Each test states what our code needs of one internal, so an upgrade that moves it fails here,
// by name, instead of silently changing what a run measures.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { bodySource } from '../../../src/mocks/http-io.js';

const require = createRequire(import.meta.url);

describe("autocannon's Client (src/load/autocannon-client.ts)", () => {
  it('has the members the instrumentation wraps, and tells the iterator which request each response answers', async () => {
    const server = createServer((req, res) => {
      req.resume();
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const Client = require('autocannon/lib/httpClient.js');
    for (const m of ['_connect', '_doRequest', '_destroyConnection', 'destroy'])
      expect(typeof Client.prototype[m], m).toBe('function');
    const answered: unknown[] = [];
    const buffer = Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    const request = { requestBuffer: buffer };
    // setupClient runs in the constructor before the first connect: where instrumentClient swaps
    // in our own request iterator.
    const client = new Client({
      hostname: '127.0.0.1',
      port: (server.address() as AddressInfo).port,
      requests: [{}],
      pipelining: 1,
      timeout: 10,
      setupClient: (c: { requestIterator: unknown }) => {
        c.requestIterator = {
          currentRequest: request,
          resetted: false,
          nextRequest: () => request,
          nextRequestBuffer: () => buffer,
          recordBody: (req: unknown) => answered.push(req),
          setRequests: () => undefined,
        };
      },
    });
    const status = await new Promise<number>((resolve) => client.once('response', resolve));
    expect(status).toBe(200);
    expect(answered[0]).toBe(request);
    expect(typeof client.pipelinedRequests.toArray).toBe('function');
    expect(typeof client.pipelinedRequests.clear).toBe('function');
    expect(typeof client.parser.initialize).toBe('function');
    expect(typeof client.reqsMade).toBe('number');
    expect(client.conn).toBeDefined();
    client.destroy();
    server.close();
  });
});

describe("msw's handler internals (src/mocks/resolve.ts)", () => {
  it('keeps the resolver and the once option on the handler', () => {
    const resolver = () => HttpResponse.json({});
    const handler = http.get('/x', resolver, { once: true }) as unknown as {
      resolver?: unknown;
      options?: { once?: boolean };
      isUsed: boolean;
    };
    expect(handler.resolver).toBe(resolver);
    expect(handler.options?.once).toBe(true);
    expect(handler.isUsed).toBe(false);
  });
});

describe("Node's bundled undici Response state (src/mocks/http-io.ts)", () => {
  it('keeps a body given as a string or bytes as its source, so the mock serves it without a stream', () => {
    expect(bodySource(new Response('hello'))).toBe('hello');
    const bytes = new Uint8Array([1, 2, 3]);
    expect(bodySource(new Response(bytes))).toEqual(bytes);
  });
});
