// The managed layers in front of an app that cannot run here (a cloud load balancer, a PaaS
// router, a CDN), as the rule each applies to a request, what the client gets when it cuts, and
// the line the layer itself logs. Pure: the emulator (./emulator.ts) applies these, the chain
// (src/server/chain.ts) lists them. Where each rule comes from: docs/timeout-chain.md.
import type { ChainLayer } from '../result/types.js';

export const EDGE_PROFILES = ['aws-alb', 'heroku', 'cloudflare', 'gcp-lb'] as const;
export type EdgeProfileName = (typeof EDGE_PROFILES)[number];

/**
 * What the limit counts: `first-byte` the wait for the response's first byte, `idle` the longest
 * silence in either direction, `total` the whole response.
 */
export type EdgeRule = 'first-byte' | 'idle' | 'total';

/** What the emulator knows about the request it cut, for the layer's log line. */
export interface CutRequest {
  method: string;
  /** Path and query, as the client sent them. */
  path: string;
  host: string;
  clientAddress: string;
  /** Where the emulator forwards to (`127.0.0.1:8000`). */
  target: string;
  /** When the request arrived and when it was cut, epoch ms. */
  startedAt: number;
  cutAt: number;
  /** The response had begun (headers sent): the client gets a cut-off body, not the layer's status. */
  responseBegun: boolean;
  bytesSent: number;
  requestId: string;
}

export interface EdgeProfile {
  name: EdgeProfileName;
  /** The scenario field that sets the limit (the layer's own name for it). */
  field: 'idleTimeout' | 'timeout';
  /** Its limit when the scenario sets none, ms. */
  defaultMs: number;
  rule: EdgeRule;
  /** After the first byte, the longest silence allowed between bytes (Heroku's rolling window), ms. */
  afterFirstByteIdleMs?: number;
  /** Whether a customer can change the limit at all (advice must not tell them to). */
  adjustable: string;
  status: number;
  contentType: string;
  body: string;
  /** The layer's own name for the setting (`idle timeout`). */
  setting: string;
  /** What it counts and what the client gets, for the chain's `rule` (after `first-byte: `...). */
  ruleWords: string;
  /** The line the layer logs for a request it cut, in its own log format. */
  logLine(cut: CutRequest): string;
}

const ALB_504 =
  '<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n</body>\r\n</html>\r\n';

export const edgeProfiles: Record<EdgeProfileName, EdgeProfile> = {
  'aws-alb': {
    name: 'aws-alb',
    field: 'idleTimeout',
    defaultMs: 60_000,
    rule: 'idle',
    adjustable: "the load balancer's idle_timeout.timeout_seconds attribute (1-4000 s)",
    status: 504,
    contentType: 'text/html',
    body: ALB_504,
    setting: 'idle timeout',
    ruleWords: 'no byte sent either way for that long closes the connection; 504 before the response began',
    // ALB's access-log entry: type time elb client:port target:port request/target/response
    // processing times (-1: the target did not answer), elb_status_code, target_status_code, bytes, "request".
    logLine: (c) =>
      [
        'http',
        new Date(c.cutAt).toISOString().replace('Z', '000Z'),
        'app/smokestack-edge/0000000000000000',
        c.clientAddress,
        c.target,
        '0.000',
        '-1',
        '-1',
        c.responseBegun ? '-' : '504',
        '-',
        '0',
        String(c.bytesSent),
        `"${c.method} http://${c.host}${c.path} HTTP/1.1"`,
        '"-"',
        '-',
        '-',
        'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/smokestack/0000000000000000',
        `"Root=1-${Math.floor(c.startedAt / 1000).toString(16)}-${c.requestId.replaceAll('-', '').slice(0, 24)}"`,
        '"-"',
        '"-"',
        '0',
        new Date(c.startedAt).toISOString().replace('Z', '000Z'),
        '"forward"',
        '"-"',
        '"-"',
        `"${c.target}"`,
        '"-"',
        '"-"',
        '"-"',
      ].join(' '),
  },
  heroku: {
    name: 'heroku',
    field: 'timeout',
    defaultMs: 30_000,
    rule: 'first-byte',
    afterFirstByteIdleMs: 55_000,
    adjustable: "nothing: Heroku's router limit is fixed",
    status: 503,
    contentType: 'text/html; charset=utf-8',
    body: '<!DOCTYPE html>\n<html><head><title>Application Error</title></head><body><p>An error occurred in the application and your page could not be served.</p></body></html>\n',
    setting: 'router timeout',
    ruleWords:
      "the app's first byte within that time (503, H12), then a rolling 55 s window between bytes (H15)",
    logLine: (c) =>
      `${new Date(c.cutAt).toISOString().replace('Z', '+00:00')} heroku[router]: at=error ` +
      (c.responseBegun ? 'code=H15 desc="Idle connection"' : 'code=H12 desc="Request timeout"') +
      ` method=${c.method} path="${c.path}" host=${c.host} request_id=${c.requestId} fwd="${c.clientAddress.replace(/:\d+$/, '')}"` +
      ` dyno=web.1 connect=0ms service=${c.cutAt - c.startedAt}ms status=503 bytes=${c.bytesSent} protocol=http`,
  },
  cloudflare: {
    name: 'cloudflare',
    field: 'timeout',
    defaultMs: 100_000,
    rule: 'first-byte',
    adjustable: 'the proxy read timeout, on the Enterprise plan only (else 100 s is fixed)',
    status: 524,
    contentType: 'text/html; charset=UTF-8',
    body: '<!DOCTYPE html>\n<html><head><title>A timeout occurred | 524</title></head><body><h1>A timeout occurred</h1><p>Error code 524. The origin web server timed out responding to this request.</p></body></html>\n',
    setting: 'proxy read timeout',
    ruleWords: 'the origin must send its first byte (the headers) within that time; else 524',
    // Cloudflare's HTTP request log (Logpush, JSON per line), the fields that say what was cut.
    logLine: (c) =>
      JSON.stringify({
        EdgeStartTimestamp: new Date(c.startedAt).toISOString(),
        ClientRequestMethod: c.method,
        ClientRequestURI: c.path,
        ClientRequestHost: c.host,
        ClientIP: c.clientAddress.replace(/:\d+$/, ''),
        EdgeResponseStatus: 524,
        OriginResponseStatus: 0,
        OriginResponseDurationMs: c.cutAt - c.startedAt,
        RayID: c.requestId.slice(0, 16),
      }),
  },
  'gcp-lb': {
    name: 'gcp-lb',
    field: 'timeout',
    defaultMs: 30_000,
    rule: 'total',
    adjustable: "the backend service's timeoutSec (gcloud compute backend-services update --timeout)",
    status: 504,
    contentType: 'text/plain',
    body: 'upstream request timeout',
    setting: 'backend service timeout',
    ruleWords: 'the whole response within that time; else 504 upstream request timeout',
    // Cloud Logging's entry for the external Application Load Balancer, one JSON per line.
    logLine: (c) =>
      JSON.stringify({
        httpRequest: {
          requestMethod: c.method,
          requestUrl: `http://${c.host}${c.path}`,
          status: c.responseBegun ? 0 : 504,
          remoteIp: c.clientAddress.replace(/:\d+$/, ''),
          latency: `${((c.cutAt - c.startedAt) / 1000).toFixed(6)}s`,
        },
        jsonPayload: {
          '@type': 'type.googleapis.com/google.cloud.loadbalancing.type.LoadBalancerLogEntry',
          statusDetails: c.responseBegun ? 'backend_timeout_after_response_start' : 'backend_timeout',
        },
        severity: 'WARNING',
        timestamp: new Date(c.cutAt).toISOString(),
      }),
  },
};

/** The scenario's `edge:`, normalised. */
export interface EdgeSpec {
  profile: EdgeProfileName;
  /** The limit the scenario set, ms; absent: the profile's default. */
  timeoutMs?: number;
}

/** The limit the emulator applies, ms. */
export function edgeLimitMs(spec: EdgeSpec): number {
  return spec.timeoutMs ?? edgeProfiles[spec.profile].defaultMs;
}

/** The edge as the first layer of the timeout chain. */
export function edgeLayer(spec: EdgeSpec): ChainLayer {
  const p = edgeProfiles[spec.profile];
  const ms = edgeLimitMs(spec);
  return {
    layer: 'edge',
    kind: p.name,
    timeoutS: ms / 1000,
    timeoutSource: spec.timeoutMs === undefined ? 'profile-default' : 'scenario',
    // The rule's name first (what the limit counts), as nginx's layer names its directive first.
    rule: `${p.rule}: ${p.setting}, ${p.ruleWords}`,
    // `setting N s (where)`, the shape nginx's layer uses, so advice can quote where it came from.
    detectedFrom: [
      `${p.setting} ${ms / 1000} s (${spec.timeoutMs === undefined ? `${p.name}'s default` : `edge.${p.field} in the scenario`}, emulated)`,
    ],
  };
}
