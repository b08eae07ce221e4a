// What a starter scenario should say, from what was read out of the image (./read-image.ts):
// the port, the server and its timeout, Postgres, the Django setup, the external APIs. Pure:
// each answer carries where it was read, or that it is a guess, for the file's comments and the
// lines `init` prints.
import type { ServerConfig } from '../result/types.js';
import { type EnvRead, envReadsInPython, pythonOfShebang } from './python-env.js';
import { envMap, type ImageFindings } from './read-image.js';

export interface Sourced<T> {
  value: T;
  /** Where it was read, in words: `EXPOSE 8000/tcp in the image`. */
  from: string;
  /** Not read but assumed. */
  guessed?: boolean;
}

export interface MockCandidate {
  env: string;
  value?: string;
  from: string;
}

export interface Starter {
  name: string;
  image: string;
  port: Sourced<number>;
  /** One line: `gunicorn, timeout 60 s: read from the image's Cmd --timeout 60`. */
  server: string;
  /** Why the stack gets Postgres; absent: nothing implies it. */
  postgres?: string;
  setup?: Sourced<string[]>;
  /** The variable the built-in TMDB mock's URL goes in. */
  tmdb?: MockCandidate;
  /** Other variables that point at external HTTP APIs: candidates for a handlers module. */
  mockCandidates: MockCandidate[];
  /** Variables the app refuses to start without and the image does not set: throwaway values. */
  env: Record<string, Sourced<string>>;
}

/** Names that say "the base URL of an API" whatever their value. */
const API_NAME = /_(API_BASE|API_URL|BASE_URL)$/;
const POSTGRES_ENV = /^(DATABASE_URL|POSTGRES_(HOST|PORT|USER|PASSWORD|DB|DATABASE))$/;
const DEFAULT_PORT = 8000;

export interface GuessOptions {
  /** Hosts that are services of the stack (compose service names): never external. */
  serviceHosts?: string[];
}

export function guessStarter(f: ImageFindings, options: GuessOptions = {}): Starter {
  const tmdbAndOthers = apiCandidates(f, options.serviceHosts ?? []);
  const tmdb = tmdbAndOthers.find((c) => isTmdb(c));
  const setup = djangoSetup(f);
  const postgres = postgresReasons(f)[0];
  return {
    name: scenarioName(f.image),
    image: f.image,
    port: portOf(f),
    server: serverLine(f.server),
    ...(postgres ? { postgres } : {}),
    ...(setup ? { setup } : {}),
    ...(tmdb ? { tmdb } : {}),
    mockCandidates: tmdbAndOthers.filter((c) => c !== tmdb),
    env: requiredSecrets(f),
  };
}

/**
 * A Django SECRET_KEY read with no usable default: Django refuses to start without one (and so
 * does a settings module that raises on it), and no image should carry the production one. A
 * fixed, plainly fake value is right for a throwaway test stack; nothing else is invented.
 */
const THROWAWAY_KEY = 'smokestack-starter-throwaway-key-not-for-production';

function requiredSecrets(f: ImageFindings): Record<string, Sourced<string>> {
  if (!f.settings) return {};
  const set = { ...envMap(f.config.env), ...f.app?.env };
  const out: Record<string, Sourced<string>> = {};
  for (const r of envReadsInPython(f.settings.text)) {
    if (/SECRET_KEY$/.test(r.name) && !r.default && !set[r.name])
      out[r.name] = {
        value: THROWAWAY_KEY,
        from: `${f.settings.path} reads ${r.name} with no default and the image sets none: a throwaway value for the test stack`,
      };
  }
  return out;
}

/** `registry.example/team/web-app:1.2` → `web-app-smoke`. */
export function scenarioName(image: string): string {
  const repo = image.replace(/@.*$/, '').replace(/:[^/:]*$/, '');
  const base = repo
    .slice(repo.lastIndexOf('/') + 1)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${base || 'app'}-smoke`;
}

function portOf(f: ImageFindings): Sourced<number> {
  const exposed = (f.config.exposedPorts ?? [])
    .filter((p) => !p.endsWith('/udp'))
    .map((p) => Number.parseInt(p, 10))
    .filter((n) => Number.isInteger(n) && n > 0);
  // A compose entrypoint replaces the image's and its Cmd, as when the container runs.
  const entrypoint = f.app?.entrypoint?.argv ?? f.config.entrypoint ?? [];
  const cmd = f.app?.command ?? (f.app?.entrypoint ? [] : (f.config.cmd ?? []));
  const bound = boundPort([...entrypoint, ...cmd]);
  if (exposed.length === 1) return { value: exposed[0]!, from: `EXPOSE ${exposed[0]} in the image` };
  if (exposed.length > 1) {
    const pick = bound !== undefined && exposed.includes(bound) ? bound : exposed[0]!;
    const why = pick === bound ? ', the one its server binds' : '';
    return { value: pick, from: `EXPOSE ${exposed.join(', ')} in the image: ${pick}${why}` };
  }
  if (bound !== undefined) return { value: bound, from: `the server's --bind in the image's command` };
  return {
    value: DEFAULT_PORT,
    from: 'no EXPOSE and no bind address in the image: 8000 assumed (change it if the server listens elsewhere)',
    guessed: true,
  };
}

/** The port of `--bind host:PORT`, `-b`, `--port N`, or runserver's `0.0.0.0:PORT`. */
export function boundPort(words: string[]): number | undefined {
  for (let i = 0; i < words.length; i += 1) {
    const w = words[i]!;
    const next = words[i + 1];
    const eq = /^--(?:bind|port)=(.+)$/.exec(w)?.[1];
    const value =
      eq ?? (['--bind', '-b', '--port', '-p'].includes(w) ? next : /^[\w.[\]]*:\d+$/.test(w) ? w : undefined);
    const port = value && /(?:^|:)(\d{2,5})$/.exec(value)?.[1];
    if (port) return Number(port);
  }
  return undefined;
}

export function serverLine(s: ServerConfig): string {
  const timeoutEntry = s.detectedFrom?.find((d) => d.startsWith(`timeout ${s.timeoutS} (`));
  const where = timeoutEntry ? /\((.*)\)$/.exec(timeoutEntry)?.[1] : undefined;
  if (s.kind === 'unknown')
    return `no known server in the image's command: timeout ${s.timeoutS} s assumed (set server.timeout to the real one)`;
  if (s.timeoutS === 0) return `${s.kind}, no worker timeout (${s.kind} has none unless configured)`;
  const origin =
    s.timeoutSource === 'server-default'
      ? `${s.kind}'s default (nothing in the image sets it)`
      : s.timeoutSource === 'scenario' && where?.includes(' services.')
        ? `read from ${where}` // the compose file's command line, named by its key
        : `read from ${s.timeoutSource === 'image' ? "the image's " : 'the service’s '}${(where ?? 'configuration').replace(/^(\w+): /, '$1 ')}`;
  return `${s.kind}, timeout ${s.timeoutS} s: ${origin}`;
}

function djangoSetup(f: ImageFindings): Sourced<string[]> | undefined {
  if (!f.managePy) return undefined;
  const cmd = f.app?.command ?? f.config.cmd ?? [];
  const python =
    pythonOfShebang(f.managePy.text) ?? cmd.find((w) => /^(\/\S+\/)?python[\d.]*$/.test(w)) ?? 'python3';
  const dir = f.config.workingDir ?? '/';
  return {
    value: [python, 'manage.py', 'migrate', '--noinput'],
    from: `manage.py in the image's WORKDIR ${dir}: a Django project, so its migrations run before traffic`,
  };
}

export function postgresReasons(f: ImageFindings): string[] {
  const reasons: string[] = [];
  const env = { ...envMap(f.config.env), ...f.app?.env };
  const named = Object.keys(env).filter((n) => POSTGRES_ENV.test(n));
  if (named.length > 0)
    reasons.push(
      `${named.join(', ')} in the ${f.app?.env && named.some((n) => n in f.app!.env) ? "service's" : "image's"} env`,
    );
  for (const d of f.postgresDrivers)
    reasons.push(`${d.split('/').at(-2)} installed in the image (${d.replace(/\/__init__\.py$/, '')})`);
  if (f.settings) {
    const reads = envReadsInPython(f.settings.text).filter((r) => POSTGRES_ENV.test(r.name));
    if (reads.length > 0) reasons.push(`${f.settings.path} reads ${reads.map((r) => r.name).join(', ')}`);
    if (/django\.db\.backends\.postgresql/.test(f.settings.text))
      reasons.push(`${f.settings.path} uses django.db.backends.postgresql`);
  }
  for (const r of f.requirements) {
    const pkg = /^\s*["']?(psycopg2?(?:-binary)?)\b/im.exec(r.text)?.[1];
    if (pkg) reasons.push(`${pkg} in ${r.path}`);
  }
  return reasons;
}

function apiCandidates(f: ImageFindings, serviceHosts: string[]): MockCandidate[] {
  const byName = new Map<string, MockCandidate>();
  const consider = (env: string, value: string | undefined, from: string) => {
    if (byName.has(env)) return;
    const url = value ? externalUrl(value, serviceHosts) : undefined;
    if (url || API_NAME.test(env)) byName.set(env, { env, ...(value ? { value } : {}), from });
  };
  for (const [name, value] of Object.entries(f.app?.env ?? {})) consider(name, value, "the service's env");
  for (const [name, value] of Object.entries(envMap(f.config.env))) consider(name, value, "the image's env");
  if (f.settings) {
    for (const r of envReadsInPython(f.settings.text) as EnvRead[])
      consider(
        r.name,
        r.default,
        r.default ? `its default in ${f.settings.path}` : `read in ${f.settings.path}`,
      );
  }
  return [...byName.values()];
}

/** An http(s) URL to a host that is not loopback, not a service of the stack and has a dot. */
export function externalUrl(value: string, serviceHosts: string[]): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const host = url.hostname;
  if (serviceHosts.includes(host) || !host.includes('.')) return undefined;
  if (/^(127\.|0\.0\.0\.0$|\[?::1\]?$)/.test(host) || host === 'host.docker.internal') return undefined;
  return url;
}

function isTmdb(c: MockCandidate): boolean {
  const host = c.value ? externalUrl(c.value, [])?.hostname : undefined;
  return host ? /(^|\.)themoviedb\.org$/.test(host) : /^TMDB_/.test(c.env) && API_NAME.test(c.env);
}
