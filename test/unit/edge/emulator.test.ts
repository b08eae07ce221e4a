// Each edge profile's rule, applied by the real emulator to a real local slow server, with short
// limits (400 ms) so the suite stays fast: what each layer cuts, what it lets through, what the
// client gets, and the line the layer logs (which the log reader turns into a proxy-timeout event).
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type EdgeEmulator, startEdgeEmulator } from '../../../src/edge/emulator.js';
import { type EdgeSpec, edgeProfiles } from '../../../src/edge/profiles.js';
import { parseServerLine } from '../../../src/observe/log-parsers.js';
import { get, type SlowServer, startSlowServer } from '../../support/slow-server.js';

const LIMIT_MS = 400;
/** Far beyond the limit: a cut happens at the limit, never because the server answered. */
const SLOW_MS = 2_000;

let app: SlowServer;
let edge: EdgeEmulator | undefined;
let lines: { at: number; line: string }[] = [];

beforeAll(async () => {
  app = await startSlowServer();
});
afterAll(() => app.close());
afterEach(async () => {
  await edge?.stop();
  edge = undefined;
  lines = [];
});

async function through(spec: EdgeSpec, path: string) {
  edge = await startEdgeEmulator(spec, { target: app.url, onLine: (l) => lines.push(l) });
  return get(`${edge.baseUrl}${path}`);
}

describe('aws-alb: the idle timeout (no byte either way)', () => {
  const alb: EdgeSpec = { profile: 'aws-alb', timeoutMs: LIMIT_MS };

  it('a silent target: 504 at the limit with ALB’s HTML body and an access-log line with elb 504, target -', async () => {
    const a = await through(alb, `/slow?ms=${SLOW_MS}`);
    expect(a.status).toBe(504);
    expect(a.body).toContain('<html>\r\n<head><title>504 Gateway Time-out</title></head>');
    expect(a.ms).toBeGreaterThanOrEqual(LIMIT_MS - 5);
    expect(a.ms).toBeLessThan(SLOW_MS);
    expect(lines).toHaveLength(1);
    const fields = lines[0]!.line.split(' ');
    expect(fields[0]).toBe('http');
    expect(fields[8]).toBe('504'); // elb_status_code
    expect(fields[9]).toBe('-'); // target_status_code: the target never answered
    expect(lines[0]!.line).toMatch(/ "Root=1-[0-9a-f]{8}-[0-9a-f]{24}" /); // X-Amzn-Trace-Id's shape
    expect(lines[0]!.line).toContain(
      `"GET http://${new URL(edge!.baseUrl).host}/slow?ms=${SLOW_MS} HTTP/1.1"`,
    );
    expect(parseServerLine(lines[0]!.line, lines[0]!.at)).toMatchObject({
      kind: 'proxy-timeout',
      method: 'GET',
      path: `/slow?ms=${SLOW_MS}`,
      pattern: 'alb-timeout',
    });
  });

  it('bytes every 60 ms keep the connection alive past the limit: the whole body arrives', async () => {
    const a = await through(alb, '/drip?gap=60&n=12');
    expect(a).toMatchObject({ status: 200, body: '............' });
    expect(a.error).toBeUndefined();
    expect(a.ms).toBeGreaterThan(LIMIT_MS);
    expect(lines).toEqual([]);
  });

  it('a silence longer than the limit after the response began: the connection is closed mid-body', async () => {
    const a = await through(alb, `/drip?gap=${SLOW_MS}&n=2`);
    expect(a.status).toBe(200);
    expect(a.error).toBeDefined();
    expect(lines).toHaveLength(1);
  });
});

describe('heroku: 30 s (here 400 ms) to the first byte, then a rolling window', () => {
  const heroku: EdgeSpec = { profile: 'heroku', timeoutMs: LIMIT_MS };

  it('no first byte in time: 503 and the router’s H12 line; the app’s connection is closed while its work still runs', async () => {
    const a = await through(heroku, `/slow?ms=${SLOW_MS}&id=h12`);
    expect(a.status).toBe(503);
    expect(a.ms).toBeGreaterThanOrEqual(LIMIT_MS - 5);
    expect(a.ms).toBeLessThan(SLOW_MS);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.line).toMatch(
      new RegExp(
        `^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+\\+00:00 heroku\\[router\\]: at=error code=H12 desc="Request timeout" method=GET path="/slow\\?ms=${SLOW_MS}&id=h12" host=127\\.0\\.0\\.1:\\d+ request_id=[0-9a-f-]+ fwd="127\\.0\\.0\\.1" dyno=web\\.1 connect=0ms service=\\d+ms status=503 bytes=0 protocol=http$`,
      ),
    );
    const service = Number(/service=(\d+)ms/.exec(lines[0]!.line)![1]);
    expect(service).toBeGreaterThanOrEqual(LIMIT_MS - 5);
    expect(parseServerLine(lines[0]!.line, lines[0]!.at)).toMatchObject({
      kind: 'proxy-timeout',
      method: 'GET',
      path: `/slow?ms=${SLOW_MS}&id=h12`,
    });
    const seen = app.seen.find((s) => s.path.endsWith('id=h12'))!;
    await vi.waitFor(() => expect(seen.closedEarlyAt).toBeDefined());
    expect(seen.finishedAt).toBeUndefined();
  });

  it('the first byte in time: a body that takes longer than the limit still arrives (only 55 s of silence cuts then)', async () => {
    const a = await through(heroku, '/drip?gap=60&n=12');
    expect(a).toMatchObject({ status: 200, body: '............' });
    expect(a.ms).toBeGreaterThan(LIMIT_MS);
    expect(lines).toEqual([]);
  });
});

describe('cloudflare: 100 s (here 400 ms) to the first byte', () => {
  const cf: EdgeSpec = { profile: 'cloudflare', timeoutMs: LIMIT_MS };

  it('no headers in time: 524 "A timeout occurred" and its request-log entry', async () => {
    const a = await through(cf, `/slow?ms=${SLOW_MS}`);
    expect(a.status).toBe(524);
    expect(a.body).toContain('A timeout occurred');
    expect(a.ms).toBeGreaterThanOrEqual(LIMIT_MS - 5);
    expect(JSON.parse(lines[0]!.line)).toMatchObject({ EdgeResponseStatus: 524, ClientRequestMethod: 'GET' });
    expect(parseServerLine(lines[0]!.line, lines[0]!.at)).toMatchObject({
      kind: 'proxy-timeout',
      path: `/slow?ms=${SLOW_MS}`,
    });
  });

  it('headers in time, the body long after: not cut (the limit is the first byte only)', async () => {
    const a = await through(cf, `/late-body?ms=${LIMIT_MS * 2}`);
    expect(a).toMatchObject({ status: 200, body: 'late\n' });
    expect(lines).toEqual([]);
  });
});

describe('gcp-lb: the backend service timeout counts the whole response', () => {
  const gcp: EdgeSpec = { profile: 'gcp-lb', timeoutMs: LIMIT_MS };

  it('no answer in time: 504 "upstream request timeout" and a backend_timeout log entry', async () => {
    const a = await through(gcp, `/slow?ms=${SLOW_MS}`);
    expect(a).toMatchObject({ status: 504, body: 'upstream request timeout' });
    expect(a.ms).toBeGreaterThanOrEqual(LIMIT_MS - 5);
    expect(JSON.parse(lines[0]!.line)).toMatchObject({ jsonPayload: { statusDetails: 'backend_timeout' } });
    expect(parseServerLine(lines[0]!.line, lines[0]!.at)).toMatchObject({
      kind: 'proxy-timeout',
      path: `/slow?ms=${SLOW_MS}`,
    });
  });

  it('bytes flowing all along do not help: the response is cut at the limit mid-body (where ALB would let it through)', async () => {
    const a = await through(gcp, '/drip?gap=60&n=12');
    expect(a.status).toBe(200);
    expect(a.error).toBeDefined();
    expect(a.body.length).toBeLessThan(12);
    expect(a.ms).toBeGreaterThanOrEqual(LIMIT_MS - 5);
    expect(lines).toHaveLength(1);
  });

  it('a response inside the limit passes untouched, status and body', async () => {
    const a = await through(gcp, '/slow?ms=20');
    expect(a).toMatchObject({ status: 200, body: 'ok\n' });
    expect(lines).toEqual([]);
  });
});

describe('heroku after the first byte: the rolling window (55 s; here 300 ms)', () => {
  it('a silence longer than the window after the first byte: the connection is closed and the router logs H15', async () => {
    edge = await startEdgeEmulator(
      { profile: 'heroku', timeoutMs: LIMIT_MS },
      {
        target: app.url,
        onLine: (l) => lines.push(l),
        profile: { ...edgeProfiles.heroku, afterFirstByteIdleMs: 300 },
      },
    );
    const a = await get(`${edge.baseUrl}/drip?gap=${SLOW_MS}&n=2`);
    expect(a.status).toBe(200);
    expect(a.error).toBeDefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]!.line).toContain('at=error code=H15 desc="Idle connection" method=GET path="/drip');
    expect(parseServerLine(lines[0]!.line, lines[0]!.at)).toMatchObject({ kind: 'proxy-timeout' });
  });

  it('bytes closer together than the window: the response goes on past both limits', async () => {
    edge = await startEdgeEmulator(
      { profile: 'heroku', timeoutMs: LIMIT_MS },
      {
        target: app.url,
        onLine: (l) => lines.push(l),
        profile: { ...edgeProfiles.heroku, afterFirstByteIdleMs: 300 },
      },
    );
    const a = await get(`${edge.baseUrl}/drip?gap=60&n=12`);
    expect(a).toMatchObject({ status: 200, body: '............' });
    expect(lines).toEqual([]);
  });
});

describe('what passes through untouched', () => {
  it('a POST body, its headers and the answer’s status and headers; the Host is the target’s', async () => {
    edge = await startEdgeEmulator(
      { profile: 'aws-alb', timeoutMs: LIMIT_MS },
      { target: app.url, onLine: (l) => lines.push(l) },
    );
    const r = await fetch(`${edge.baseUrl}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'abc' },
      body: '{"import":42}',
    });
    expect(r.status).toBe(201);
    expect(r.headers.get('x-app')).toBe('echo');
    const echoed = (await r.json()) as { method: string; body: string; headers: Record<string, string> };
    expect(echoed).toMatchObject({ method: 'POST', body: '{"import":42}' });
    expect(echoed.headers).toMatchObject({ 'x-request-id': 'abc', host: new URL(app.url).host });
    expect(lines).toEqual([]);
  });
});
