// Request specs compiled for the load loop: templates parsed once, and the raw HTTP/1.1 bytes
// autocannon writes to the socket built per request (or once, when nothing in it varies).
import type { RequestSpec } from '../scenario/types.js';
import {
  type BodyTemplate,
  compileBody,
  compileTemplate,
  type Template,
  type TemplateContext,
} from './template.js';

export interface CompiledRequest {
  spec: RequestSpec;
  /** Nothing in it varies: build() returns the same bytes every time. */
  isStatic: boolean;
  /** Every template in it (for checking values before traffic starts). */
  templates: readonly Template[];
  /** The bytes and the concrete path of one request. */
  build(ctx: TemplateContext): { buffer: Buffer; path: string };
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
  const contentType =
    body && typeof spec.body !== 'string' && !has('content-type') ? 'Content-Type: application/json\r\n' : '';
  const host = has('host') ? '' : `Host: ${target.host}\r\n`;
  const templates = [path, ...headers.map(([, t]) => t), ...(body?.templates ?? [])];

  const build = (ctx: TemplateContext) => {
    const p = prefix + safePath(path.render(ctx));
    let head = `${spec.method} ${p} HTTP/1.1\r\n${host}Connection: keep-alive\r\n${contentType}`;
    for (const [name, value] of headers) head += `${name}: ${safeHeader(value.render(ctx))}\r\n`;
    if (!body) return { buffer: Buffer.from(`${head}\r\n`, 'latin1'), path: p };
    const bytes = Buffer.from(body.render(ctx), 'utf8');
    head += `Content-Length: ${bytes.length}\r\n\r\n`;
    return { buffer: Buffer.concat([Buffer.from(head, 'latin1'), bytes]), path: p };
  };

  if (templates.every((t) => t.isStatic)) {
    // Nothing varies: build once, hand out the same bytes every time.
    const fixed = build(noValues);
    return { spec, isStatic: true, templates, build: () => fixed };
  }
  return { spec, isStatic: false, templates, build };
}

const noValues: TemplateContext = { random: () => 0, nextSeq: () => 0, lookup: () => undefined };

/** Values can hold anything; a request line cannot hold spaces, controls or non-ASCII. */
function safePath(path: string): string {
  return /[^\x21-\x7e]/.test(path) ? path.replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c)) : path;
}

function safeHeader(value: string): string {
  return value.replace(/[\r\n]/g, ' ');
}
