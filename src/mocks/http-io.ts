// The thin adapter between node:http and the fetch API msw handlers speak: an IncomingMessage
// becomes a Request, a Response (or a canned fault answer) becomes bytes ready to write.
// Bodies given as text or bytes are ready before the injected delay ends, so the answer leaves
// on time; any other body (a stream, server-sent events, a Blob) is piped from then on.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { CannedResponse } from './fault-responses.js';

/** An answer ready to write: headers and the whole body. */
export interface Prepared {
  status: number;
  statusText?: string;
  headers: OutgoingHttpHeaders;
  body?: string | Uint8Array;
  /** A body to pipe when the answer is due (streams, server-sent events). */
  stream?: ReadableStream<Uint8Array>;
  /** Run once the answer has reached the client in full. */
  onDelivered?: () => void;
}

const NO_BODY = new Set(['GET', 'HEAD']);

/** Reads the request body (none for GET/HEAD: drained so keep-alive continues). */
export async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  if (NO_BODY.has(req.method ?? 'GET')) {
    req.resume();
    return undefined;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length > 0 ? Buffer.concat(chunks) : undefined;
}

export function toFetchRequest(req: IncomingMessage, url: string, body: Buffer | undefined): Request {
  const raw = req.rawHeaders;
  const headers: [string, string][] = [];
  for (let i = 0; i < raw.length; i += 2) headers.push([raw[i] as string, raw[i + 1] as string]);
  return new Request(url, {
    method: req.method ?? 'GET',
    headers,
    body: body as Uint8Array<ArrayBuffer> | undefined,
  });
}

/**
 * Everything needed to write the answer later, and nothing more: unless the body is a stream,
 * the Response (its stream, its Headers) is dropped now, so requests held for a long delay do
 * not keep it alive.
 */
export function prepareResponse(response: Response, method: string, onDelivered?: () => void): Prepared {
  const headers: OutgoingHttpHeaders = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  const body = method === 'HEAD' || !response.body ? undefined : bodySource(response);
  const stream = method === 'HEAD' || body !== undefined ? undefined : (response.body ?? undefined);
  if (body !== undefined && headers['content-length'] === undefined)
    headers['content-length'] = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  return {
    status: response.status,
    statusText: response.statusText || undefined,
    headers,
    body,
    stream,
    onDelivered,
  };
}

// Reading a Response body through its stream costs ~25 µs; for the common case (a string or
// bytes given to the constructor, never read) undici keeps the original as `state.body.source`.
// Node's bundled undici is fixed per Node version; if its internals differ, this finds nothing
// and the stream is read as usual (test/unit/mocks/http-io.test.ts notices the slow path).
const STATE = Object.getOwnPropertySymbols(new Response('')).find((s) => s.description === 'state');

export function bodySource(response: Response): string | Uint8Array | undefined {
  if (!STATE || response.bodyUsed) return undefined;
  const state = (response as unknown as Record<symbol, { body?: { source?: unknown } } | undefined>)[STATE];
  const source = state?.body?.source;
  return typeof source === 'string' || source instanceof Uint8Array ? source : undefined;
}

export function prepareCanned(canned: CannedResponse, extraHeaders: OutgoingHttpHeaders = {}): Prepared {
  const body = JSON.stringify(canned.body);
  return {
    status: canned.status,
    headers: {
      'content-type': 'application/json;charset=utf-8',
      'content-length': Buffer.byteLength(body),
      ...canned.headers,
      ...extraHeaders,
    },
    body,
  };
}

export function writePrepared(res: ServerResponse, p: Prepared, onFinish: () => void): void {
  if (p.statusText) res.writeHead(p.status, p.statusText, p.headers);
  else res.writeHead(p.status, p.headers);
  if (!p.stream) {
    res.end(p.body, onFinish);
    return;
  }
  res.once('finish', onFinish);
  const source = Readable.fromWeb(p.stream as NodeReadableStream<Uint8Array>);
  source.once('error', () => res.destroy());
  // A client that leaves stops the stream (an endless event stream would otherwise run on).
  res.once('close', () => source.destroy());
  source.pipe(res);
}
