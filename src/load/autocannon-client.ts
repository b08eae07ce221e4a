// The one place that knows autocannon's Client internals (autocannon 8, lib/httpClient.js).
// Its public events say a response came (status, bytes, time) but not *which* request it answers,
// and it never reports a request whose connection the server closed (a killed worker's empty
// reply) — exactly the requests smokestack exists to name. So each client gets, from setupClient:
//  - our own request iterator (a weighted pick per request, templates rendered), which also learns
//    the request each response answers (autocannon passes it to recordBody just before 'response');
//  - a watch on each connection: when it ends or errors with requests in flight, each of them is
//    recorded with the error and the latency at which it failed, and the queue and parser reset
//    (autocannon would otherwise pair later responses with stale requests);
//  - no request written to a connection whose last response said `Connection: close` (gunicorn's
//    sync workers): it would be lost with the socket; autocannon's reconnect sends the next one.
// A client timeout fails the requests in flight as `client timeout`. When a duration phase's time is
// up the clients are set draining: nothing new is written, and the phase awaits the requests in
// flight before it stops autocannon, so every request sent is recorded with its real outcome. Only
// an interrupt cuts requests in flight; the phase counts those (sent − completed).
import type { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';

/** One request handed to autocannon: its bytes, and what to record when it completes. */
export interface SentRequest {
  requestBuffer: Buffer;
  endpoint: string;
  method: string;
  path: string;
}

export interface ClientOutcome {
  request: SentRequest;
  startMs: number;
  latencyMs: number;
  status?: number;
  error?: string;
}

interface PendingEntry {
  req: SentRequest;
  bytes: number;
  startTime: [number, number];
}

/** The parts of autocannon's Client used here. */
interface AutocannonClient extends EventEmitter {
  requestIterator: unknown;
  pipelinedRequests: { toArray(): PendingEntry[]; clear(): void };
  parser: { initialize(type: string): void; type: string };
  conn: Socket;
  destroyed: boolean;
  _connect(): void;
  _doRequest(...args: unknown[]): void;
  _destroyConnection(): void;
}

/** The clients of one autocannon run, for draining at the end of a phase and counting what was sent. */
export interface DrainableClients {
  list: { inFlight(): number }[];
  /** When true, no client writes a new request. */
  draining: boolean;
  /** Requests written, over all clients. */
  sent: number;
}

/** What autocannon's Client calls on its request iterator. */
class RequestMix {
  currentRequest: SentRequest;
  resetted = false;
  lastAnswered: SentRequest | undefined;

  constructor(private readonly next: () => SentRequest) {
    this.currentRequest = next();
  }
  nextRequest(): SentRequest {
    this.currentRequest = this.next();
    return this.currentRequest;
  }
  nextRequestBuffer(): Buffer {
    return this.nextRequest().requestBuffer;
  }
  recordBody(req: SentRequest): void {
    this.lastAnswered = req;
  }
  setRequests(): void {
    throw new Error('smokestack drives the request mix itself');
  }
}

/**
 * Instruments one autocannon client (call from autocannon's `setupClient`). `next` gives the
 * request to send next; `onOutcome` gets every response and every failed request.
 */
export function instrumentClient(
  rawClient: unknown,
  next: () => SentRequest,
  onOutcome: (outcome: ClientOutcome) => void,
  clients?: DrainableClients,
): void {
  const client = rawClient as AutocannonClient & { reqsMade: number };
  clients?.list.push({ inFlight: () => client.pipelinedRequests.toArray().length });
  const mix = new RequestMix(next);
  client.requestIterator = mix;
  let closing: Socket | undefined;

  client.on('headers', (info: { shouldKeepAlive?: boolean }) => {
    if (info.shouldKeepAlive === false) closing = client.conn;
  });
  client.on('response', (status: number, _bytes: number, latencyMs: number) => {
    const request = mix.lastAnswered;
    if (!request) return;
    mix.lastAnswered = undefined;
    onOutcome({ request, startMs: Date.now() - latencyMs, latencyMs, status });
  });

  const failInFlight = (conn: Socket | undefined, error: string) => {
    if (conn !== client.conn) return;
    const pending = client.pipelinedRequests.toArray();
    if (pending.length === 0) return;
    client.pipelinedRequests.clear();
    client.parser.initialize(client.parser.type);
    // After `Connection: close` nothing more was written to this socket on purpose; whatever is
    // still queued (pipelining) was never served — not a failure of the server.
    if (conn === closing) return;
    const now = Date.now();
    pending.forEach((entry, i) => {
      const [s, ns] = process.hrtime(entry.startTime);
      const latencyMs = s * 1e3 + ns / 1e6;
      const partial = i === 0 && entry.bytes > 0;
      onOutcome({
        request: entry.req,
        startMs: now - latencyMs,
        latencyMs,
        error: partial && error === 'empty reply' ? 'incomplete response' : error,
      });
    });
  };

  const connect = client._connect;
  client._connect = function (this: AutocannonClient) {
    connect.call(this);
    const conn = this.conn;
    conn.prependListener('end', () => failInFlight(conn, 'empty reply'));
    conn.prependListener('error', (err: NodeJS.ErrnoException) =>
      failInFlight(conn, err.code ?? err.message),
    );
  };

  const doRequest = client._doRequest;
  client._doRequest = function (this: AutocannonClient, ...args: unknown[]) {
    if (closing !== undefined && closing === this.conn) return;
    if (clients?.draining) return;
    const before = client.reqsMade;
    doRequest.apply(this, args);
    if (clients && client.reqsMade > before) clients.sent += client.reqsMade - before;
  };

  const destroyConnection = client._destroyConnection;
  client._destroyConnection = function (this: AutocannonClient) {
    // Not destroyed: autocannon's own timeout is dropping the connection (destroy() at the end of
    // a phase sets `destroyed` first, and those requests were cut by us, not failed).
    if (!this.destroyed) failInFlight(this.conn, 'client timeout');
    destroyConnection.call(this);
  };
}
