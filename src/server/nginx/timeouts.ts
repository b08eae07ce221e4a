// What nginx does with one request, read from its loaded configuration (./includes.ts): which
// server block takes the port, which location the path falls in (nginx's own order: `=` exact,
// else the longest prefix unless it is `^~`, regular expressions in file order, else that
// prefix), where that location passes the request (proxy_pass, uwsgi_pass, fastcgi_pass, and
// the hosts of a named upstream), and the read/send/connect timeouts of that pass family, each
// inherited http → server → location as nginx inherits them (default 60 s), with where it was set.
import { type Directive, nginxSeconds } from './parse.js';

export type PassFamily = 'proxy' | 'uwsgi' | 'fastcgi';
export type TimeoutName = 'read' | 'send' | 'connect';

/** nginx's built-in value for all nine (`proxy_read_timeout` ... `fastcgi_connect_timeout`). */
export const NGINX_DEFAULT_TIMEOUT_S = 60;

export interface NginxTimeout {
  seconds: number;
  /** `/etc/nginx/conf.d/timeouts.conf:3: proxy_read_timeout 10s`, or `nginx default`. */
  source: string;
  isDefault: boolean;
}

export interface NginxLocation {
  /** `/`, `= /healthz`, `~ \.php$`. */
  match: string;
  modifier: '' | '=' | '~' | '~*' | '^~';
  uri: string;
  file: string;
  line: number;
  passesTo?: { family: PassFamily; target: string; hosts: { host: string; port: number }[] };
  /** The pass family's timeouts in force here (proxy_* when it passes nowhere). */
  timeouts: Record<TimeoutName, NginxTimeout>;
}

export interface NginxServer {
  ports: number[];
  defaultServer: boolean;
  names: string[];
  file: string;
  line: number;
  locations: NginxLocation[];
}

type Inherited = Map<string, NginxTimeout>;

export function nginxServers(directives: Directive[]): NginxServer[] {
  const http = directives.filter((d) => d.name === 'http' && d.block).flatMap((d) => d.block!);
  const upstreams = new Map<string, { host: string; port: number }[]>();
  for (const u of http.filter((d) => d.name === 'upstream' && d.block)) {
    const hosts = u
      .block!.filter((d) => d.name === 'server' && d.args[0])
      .map((d) => hostPort(d.args[0]!, 80));
    upstreams.set(u.args[0] ?? '', hosts);
  }
  const atHttp = timeoutsIn(http, new Map());
  return http
    .filter((d) => d.name === 'server' && d.block)
    .map((s) => {
      const body = s.block!;
      const atServer = timeoutsIn(body, atHttp);
      const listens = body.filter((d) => d.name === 'listen');
      const ports = listens.length === 0 ? [80] : listens.map((l) => listenPort(l.args[0] ?? '80'));
      const locations = locationsIn(body, atServer, upstreams);
      return {
        ports: [...new Set(ports)],
        defaultServer: listens.some((l) => l.args.includes('default_server') || l.args.includes('default')),
        names: body.filter((d) => d.name === 'server_name').flatMap((d) => d.args),
        file: s.file,
        line: s.line,
        // A server without locations still answers every path with its own settings.
        locations: locations.length > 0 ? locations : [implicitLocation(s, atServer)],
      };
    });
}

/** The server block nginx picks for a connection to this port with a Host it does not know. */
export function serverForPort(servers: NginxServer[], port: number): NginxServer | undefined {
  const on = servers.filter((s) => s.ports.includes(port));
  return on.find((s) => s.defaultServer) ?? on[0];
}

/** The location nginx picks for this path (query string ignored) among a server's locations. */
export function locationFor<L extends Pick<NginxLocation, 'modifier' | 'uri'>>(
  locations: readonly L[],
  requestPath: string,
): L | undefined {
  const p = requestPath.split('?')[0] || '/';
  const exact = locations.find((l) => l.modifier === '=' && l.uri === p);
  if (exact) return exact;
  const prefixes = locations
    .filter((l) => (l.modifier === '' || l.modifier === '^~') && p.startsWith(l.uri))
    .sort((a, b) => b.uri.length - a.uri.length);
  const longest = prefixes[0];
  if (longest?.modifier === '^~') return longest;
  const regex = locations.find((l) => {
    if (l.modifier !== '~' && l.modifier !== '~*') return false;
    try {
      return new RegExp(l.uri, l.modifier === '~*' ? 'i' : '').test(p);
    } catch {
      return false;
    }
  });
  return regex ?? longest;
}

function locationsIn(
  body: Directive[],
  inherited: Inherited,
  upstreams: Map<string, { host: string; port: number }[]>,
): NginxLocation[] {
  return body
    .filter((d) => d.name === 'location' && d.block)
    .flatMap((loc) => {
      const here = timeoutsIn(loc.block!, inherited);
      const [first = '', second] = loc.args;
      const modifier = (second === undefined ? '' : first) as NginxLocation['modifier'];
      const uri = second ?? first;
      // Named locations (@fallback) take no request by path.
      if (uri.startsWith('@')) return [];
      // proxy_pass is not inherited: a nested location without one passes nowhere.
      const pass = findPass(loc.block!);
      const family = pass ? (pass.name.replace('_pass', '') as PassFamily) : 'proxy';
      const self: NginxLocation = {
        match: loc.args.join(' '),
        modifier,
        uri,
        file: loc.file,
        line: loc.line,
        ...(pass ? { passesTo: passOf(pass, upstreams) } : {}),
        timeouts: familyTimeouts(here, family),
      };
      return [self, ...locationsIn(loc.block!, here, upstreams)];
    });
}

function implicitLocation(server: Directive, inherited: Inherited): NginxLocation {
  return {
    match: '/',
    modifier: '',
    uri: '/',
    file: server.file,
    line: server.line,
    timeouts: familyTimeouts(inherited, 'proxy'),
  };
}

const PASSES = ['proxy_pass', 'uwsgi_pass', 'fastcgi_pass'];

function findPass(block: Directive[]): Directive | undefined {
  return block.find((d) => PASSES.includes(d.name) && d.args[0]);
}

function passOf(pass: Directive, upstreams: Map<string, { host: string; port: number }[]>) {
  const family = pass.name.replace('_pass', '') as PassFamily;
  const target = pass.args[0]!;
  // proxy_pass http://app:8000/path; uwsgi_pass app:3031; fastcgi_pass unix:/run/php.sock
  const withoutScheme = target.replace(/^[a-z]+:\/\//, '');
  const authority = withoutScheme.split('/')[0]!;
  const named = upstreams.get(authority);
  const defaultPort = target.startsWith('https://') ? 443 : 80;
  const hosts = named ?? (authority.startsWith('unix:') ? [] : [hostPort(authority, defaultPort)]);
  return { family, target, hosts };
}

/** Timeouts set in this block over the inherited ones: a directive in a block wins for that block. */
function timeoutsIn(block: Directive[], inherited: Inherited): Inherited {
  const out = new Map(inherited);
  for (const d of block) {
    if (!/^(proxy|uwsgi|fastcgi)_(read|send|connect)_timeout$/.test(d.name)) continue;
    const seconds = nginxSeconds(d.args[0] ?? '');
    if (seconds === undefined) continue;
    out.set(d.name, { seconds, source: `${d.file}:${d.line}: ${d.name} ${d.args[0]}`, isDefault: false });
  }
  return out;
}

function familyTimeouts(at: Inherited, family: PassFamily): Record<TimeoutName, NginxTimeout> {
  const pick = (name: TimeoutName): NginxTimeout =>
    at.get(`${family}_${name}_timeout`) ?? {
      seconds: NGINX_DEFAULT_TIMEOUT_S,
      source: `nginx default (${family}_${name}_timeout ${NGINX_DEFAULT_TIMEOUT_S}s)`,
      isDefault: true,
    };
  return { read: pick('read'), send: pick('send'), connect: pick('connect') };
}

function hostPort(text: string, defaultPort: number): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(text);
  return { host: m?.[1] ?? text, port: m?.[2] ? Number(m[2]) : defaultPort };
}

/** `80`, `8080 default_server`, `127.0.0.1:8080`, `[::]:80`, `*:80` → the port. */
function listenPort(arg: string): number {
  const m = /(?:^|:)(\d+)$/.exec(arg);
  return m ? Number(m[1]) : 80;
}
