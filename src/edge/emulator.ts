// The edge emulator: an HTTP proxy on loopback in front of the target, applying one managed
// layer's timeout rule (./profiles.ts) to every request and answering, when it cuts, with that
// layer's status and body, as the layer would. Its log line for each cut goes to `onLine`, read
// like any server's log (src/observe/log-parsers.ts). The target is never told of the cut but by
// the closed connection: its worker goes on, as behind the real layer (orphaned work).
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { InfraError } from '../errors.js';
import { type CutRequest, type EdgeProfile, type EdgeSpec, edgeLimitMs, edgeProfiles } from './profiles.js';

export interface EdgeEmulator {
  /** Where traffic goes: `http://127.0.0.1:PORT`. */
  baseUrl: string;
  stop(): Promise<void>;
}

export interface EmulatorOptions {
  /** The app (or the proxy in front of it) the edge forwards to. */
  target: string;
  /** The layer's log line of each request it cut (epoch ms it was written). */
  onLine: (line: { at: number; line: string }) => void;
  /** The profile's figures, when not the layer's own (tests shorten Heroku's 55 s window). */
  profile?: EdgeProfile;
}

/** Headers of one connection, not of the message: a proxy never passes them on (RFC 9110 7.6.1). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
]);

function endToEnd(raw: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2)
    if (!HOP_BY_HOP.has(raw[i]!.toLowerCase())) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

/** Per request: the timers of one rule. Long enough to need a word: one closure per exchange. */
function handle(
  spec: EdgeSpec,
  profile: EdgeProfile,
  target: URL,
  agent: http.Agent,
  onLine: EmulatorOptions['onLine'],
  req: http.IncomingMessage,
  res: http.ServerResponse,
): void {
  const limitMs = edgeLimitMs(spec);
  const startedAt = Date.now();
  let firstByte = false;
  let bytesSent = 0;
  let done = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(cut, ms);
  };

  const send = target.protocol === 'https:' ? https.request : http.request;
  const upstream = send({
    protocol: target.protocol,
    hostname: target.hostname,
    port: target.port,
    method: req.method,
    path: req.url,
    headers: [
      ...endToEnd(req.rawHeaders).filter(([k]) => k.toLowerCase() !== 'host'),
      ['Host', target.host],
    ].flat(),
    agent,
  });

  function finish(): void {
    done = true;
    clearTimeout(timer);
  }

  function cut(): void {
    if (done) return;
    finish();
    upstream.destroy();
    const cutAt = Date.now();
    const info: CutRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      host: req.headers.host ?? target.host,
      clientAddress: `${req.socket.remoteAddress ?? '127.0.0.1'}:${req.socket.remotePort ?? 0}`,
      target: target.host,
      startedAt,
      cutAt,
      responseBegun: res.headersSent,
      bytesSent,
      requestId: randomUUID(),
    };
    onLine({ at: cutAt, line: profile.logLine(info) });
    if (res.headersSent) {
      // The status is gone already: the layer can only close the connection mid-body.
      res.destroy();
      return;
    }
    res.writeHead(profile.status, {
      'content-type': profile.contentType,
      'content-length': Buffer.byteLength(profile.body),
      connection: 'close',
    });
    res.end(profile.body);
  }

  // The clock of each rule starts when the request arrives.
  arm(limitMs);
  // A byte from the client counts as activity for the idle rules (Heroku's window: either way).
  req.on('data', () => {
    if (done) return;
    if (profile.rule === 'idle') arm(limitMs);
    else if (firstByte && profile.afterFirstByteIdleMs) arm(profile.afterFirstByteIdleMs);
  });
  req.pipe(upstream);
  upstream.on('response', (answer) => {
    if (done) return;
    firstByte = true;
    if (profile.rule === 'idle') arm(limitMs);
    else if (profile.rule === 'first-byte') {
      if (profile.afterFirstByteIdleMs) arm(profile.afterFirstByteIdleMs);
      else clearTimeout(timer);
    }
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.rawHeaders).flat());
    // The target's headers are bytes on the wire: the layer passes them on at once.
    res.flushHeaders();
    answer.on('data', (chunk: Buffer) => {
      if (done) return;
      bytesSent += chunk.length;
      res.write(chunk);
      if (profile.rule === 'idle') arm(limitMs);
      else if (profile.afterFirstByteIdleMs) arm(profile.afterFirstByteIdleMs);
    });
    answer.on('end', () => {
      if (done) return;
      finish();
      res.end();
    });
    answer.on('error', () => {
      if (done) return;
      finish();
      res.destroy();
    });
  });
  upstream.on('error', (error) => {
    if (done) return;
    finish();
    // The target refused or dropped the connection: every one of these layers answers 502.
    if (res.headersSent || firstByte) res.destroy();
    else {
      res.writeHead(502, { 'content-type': 'text/plain', connection: 'close' });
      res.end(`502 Bad Gateway (${(error as NodeJS.ErrnoException).code ?? error.message})`);
    }
  });
  // The client went away first: the layer drops the request upstream too.
  res.on('close', () => {
    if (done) return;
    finish();
    upstream.destroy();
  });
}

/** Starts the emulator on 127.0.0.1 (a free port); the caller's teardown stops it. */
export async function startEdgeEmulator(spec: EdgeSpec, options: EmulatorOptions): Promise<EdgeEmulator> {
  const target = new URL(options.target);
  const agent = new (target.protocol === 'https:' ? https.Agent : http.Agent)({ keepAlive: true });
  const profile = options.profile ?? edgeProfiles[spec.profile];
  const server = http.createServer((req, res) =>
    handle(spec, profile, target, agent, options.onLine, req, res),
  );
  // Node's own server limits (5 min per request) must not cut before the layer emulated.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  server.timeout = 0;
  // Longer than any client's keep-alive, so the client closes idle connections, not the edge.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new InfraError(
          'INFRA',
          `the ${spec.profile} edge emulator could not listen on 127.0.0.1: ${error.message}`,
          {
            fix: 'it needs one free loopback port; check that this machine allows listening on 127.0.0.1',
            cause: error,
          },
        ),
      ),
    );
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
