// `ports:` in both forms — short `[HOST_IP:][HOST:]CONTAINER[/PROTOCOL]` (ranges like
// `8000-8002:8000-8002` expand to one entry a port) and long `{ target, published, host_ip,
// protocol }` — and `expose:` (`8000`, `"8000/tcp"`, ranges). What the file publishes on the host
// is kept only to be shown: smokestack never binds it (see docs/compose.md).
import type { FieldPath } from '../scenario/read-document.js';
import { fail, isMapping, noteUnsupported, type ReadContext, scalarText } from './context.js';
import type { ComposePort } from './types.js';

const PORTS_FIX = 'write ports like "8000", "8080:8000", "127.0.0.1:8080:8000/tcp" or { target: 8000 }';

export function readPorts(ctx: ReadContext, at: FieldPath, value: unknown): ComposePort[] {
  if (!Array.isArray(value)) fail(ctx, at, 'expected a list of ports', PORTS_FIX);
  return value.flatMap((item, i) => {
    const where = [...at, i];
    if (isMapping(item)) {
      noteUnsupported(ctx, where, item, ['target', 'published', 'host_ip', 'protocol']);
      const target = portNumber(scalarText(item.target));
      if (target === undefined)
        fail(ctx, [...where, 'target'], 'expected a container port 1-65535', PORTS_FIX);
      return [
        {
          target,
          ...(item.published !== undefined ? { published: String(item.published) } : {}),
          ...(typeof item.host_ip === 'string' ? { hostIp: item.host_ip } : {}),
          protocol: protocolOf(ctx, [...where, 'protocol'], scalarText(item.protocol) ?? 'tcp'),
        },
      ];
    }
    const text = scalarText(item);
    if (text === undefined) fail(ctx, where, 'expected a port mapping', PORTS_FIX);
    return shortPort(ctx, where, text);
  });
}

function shortPort(ctx: ReadContext, at: FieldPath, text: string): ComposePort[] {
  const [spec = '', proto = 'tcp'] = text.split('/');
  const protocol = protocolOf(ctx, at, proto);
  // An IPv6 host address is bracketed: [::1]:8080:8000.
  const v6 = /^\[([^\]]+)\]:(.*)$/.exec(spec);
  const parts = v6 ? [v6[1] as string, ...(v6[2] as string).split(':')] : spec.split(':');
  if (parts.length > 3 || parts.some((p, i) => p === '' && i !== parts.length - 2))
    fail(ctx, at, `${JSON.stringify(text)} is not a port mapping`, PORTS_FIX);
  const containerRange = range(parts[parts.length - 1] as string);
  if (!containerRange)
    fail(ctx, at, `${JSON.stringify(text)}: the container port is not a port 1-65535`, PORTS_FIX);
  const hostText = parts.length >= 2 ? parts[parts.length - 2] : undefined;
  const hostIp = parts.length === 3 ? parts[0] : undefined;
  const hostRange = hostText ? range(hostText) : undefined;
  if (hostText && !hostRange)
    fail(ctx, at, `${JSON.stringify(text)}: the host port is not a port 1-65535`, PORTS_FIX);
  return containerRange.map((target, i) => ({
    target,
    ...(hostRange ? { published: String(hostRange[Math.min(i, hostRange.length - 1)]) } : {}),
    ...(hostIp ? { hostIp } : {}),
    protocol,
  }));
}

export function readExpose(ctx: ReadContext, at: FieldPath, value: unknown): number[] {
  if (!Array.isArray(value)) fail(ctx, at, 'expected a list of container ports', 'write expose: ["8000"]');
  return value.flatMap((item, i) => {
    const [spec = ''] = (scalarText(item) ?? '').split('/');
    const ports = range(spec);
    if (!ports) fail(ctx, [...at, i], 'expected a container port 1-65535', 'write expose: ["8000"]');
    return ports;
  });
}

function range(text: string): number[] | undefined {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  if (!m) return undefined;
  const from = portNumber(m[1]);
  const to = m[2] === undefined ? from : portNumber(m[2]);
  if (from === undefined || to === undefined || to < from || to - from > 1000) return undefined;
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function portNumber(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 && n <= 65_535 ? n : undefined;
}

function protocolOf(ctx: ReadContext, at: FieldPath, proto: string): 'tcp' | 'udp' {
  if (proto === 'tcp' || proto === 'udp') return proto;
  return fail(ctx, at, `protocol ${JSON.stringify(proto)} is not tcp or udp`, PORTS_FIX);
}
