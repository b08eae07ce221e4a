// Request specs compiled for the load loop: templates parsed once, and the raw HTTP/1.1 bytes
// autocannon writes to the socket built per request (or once, when nothing in it varies), or the
// same request as parts for undici (open-model phases).
import type { RequestSpec } from '../scenario/types.js';
import {
  type BodyTemplate,
  compileBody,
  compileTemplate,
  type Template,
  type TemplateContext,
} from '../templates/template.js';

export interface CompiledRequest {
  spec: RequestSpec;
  /** Nothing in it varies: build() returns the same bytes every time. */
  isStatic: boolean;
  /** Every template in it (for checking values before traffic starts). */
  templates: readonly Template[];
  /** The raw HTTP/1.1 bytes (autocannon writes them to its sockets) and the concrete path. */
  build(ctx: TemplateContext): { buffer: Buffer; path: string };
  /** The same request as parts, for an HTTP client that frames it itself (undici, the open model). */
  parts(ctx: TemplateContext): RequestParts;
}

export interface RequestParts {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/**
 * @param target base URL of the server: its host goes into `Host:`, its path prefixes every path.
 */
export function compileRequest(spec: RequestSpec, target: URL): CompiledRequest {
  const prefix = target.pathname.replace(/\/+$/, '');
  const path = compileTemplate(spec.path);
  const headers = Object.entries(spec.headers).map(
    ([name, value]) => [name, compileTemplate(value)] as const,
  );
  const body: BodyTemplate | undefined = spec.body === undefined ? undefined : compileBody(spec.body);
  const has = (name: string) => headers.some(([h]) => h.toLowerCase() === name);
  const jsonBody = body !== undefined && typeof spec.body !== 'string' && !has('content-type');
  const templates = [path, ...headers.map(([, t]) => t), ...(body?.templates ?? [])];

  const parts = (ctx: TemplateContext): RequestParts => {
    const rendered: Record<string, string> = {};
    if (jsonBody) rendered['Content-Type'] = 'application/json';
    for (const [name, value] of headers) rendered[name] = safeHeader(value.render(ctx));
    const p = prefix + safePath(path.render(ctx));
    if (!body) return { method: spec.method, path: p, headers: rendered };
    return { method: spec.method, path: p, headers: rendered, body: Buffer.from(body.render(ctx), 'utf8') };
  };
  const host = has('host') ? '' : `Host: ${target.host}\r\n`;
  const build = (ctx: TemplateContext) => {
    const r = parts(ctx);
    let head = `${r.method} ${r.path} HTTP/1.1\r\n${host}Connection: keep-alive\r\n`;
    for (const [name, value] of Object.entries(r.headers)) head += `${name}: ${value}\r\n`;
    if (!r.body) return { buffer: Buffer.from(`${head}\r\n`, 'latin1'), path: r.path };
    head += `Content-Length: ${r.body.length}\r\n\r\n`;
    return { buffer: Buffer.concat([Buffer.from(head, 'latin1'), r.body]), path: r.path };
  };

  if (templates.every((t) => t.isStatic)) {
    // Nothing varies: build once, hand out the same bytes every time.
    const fixed = build(noValues);
    const fixedParts = parts(noValues);
    return { spec, isStatic: true, templates, build: () => fixed, parts: () => fixedParts };
  }
  return { spec, isStatic: false, templates, build, parts };
}

const noValues: TemplateContext = { random: () => 0, nextSeq: () => 0, lookup: () => undefined };

/** Values can hold anything; a request line cannot hold spaces, controls or non-ASCII. */
function safePath(path: string): string {
  return /[^\x21-\x7e]/.test(path) ? path.replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c)) : path;
}

function safeHeader(value: string): string {
  return value.replace(/[\r\n]/g, ' ');
}
