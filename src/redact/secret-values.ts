// The secret values of one run, collected from what the run itself was given, so that they can be
// masked wherever they turn up — the app may log its API key, echo a Bearer header in an error
// page, or print its DSN at boot. Pure: from the scenario (and what the harness injects).
//
// Collected: the value of every env variable whose name looks secret (rules.ts isSecretName), in
// the app and every service; the userinfo, password and user (unless a common role name) of every
// URL in any env value; the value of
// every variable the scenario's `redact:` names, and every other `redact:` entry as a literal; the
// values of credential headers (Authorization, Cookie, …, any secret-looking name) and credential
// query parameters (`api_key=…`) and secret-named JSON body fields of every request and flow
// step; and the Postgres password unless it
// is the harness's public default. With `stack.compose`: the same from every service's env in the
// file (and its env_file), but for values the file also gives as plain, non-secret values.
import type { Scenario } from '../scenario/types.js';
import { isSecretName } from './rules.js';

/** The built-in Postgres login: public, and masking it would blank the tool's own name everywhere. */
export const PUBLIC_DEFAULTS = new Set(['smokestack']);

export function secretValues(
  scenario: Scenario,
  injectedEnv: Record<string, string> = {},
  /** The env of each service of a `stack.compose` file (./compose-env.ts). */
  composeEnvs: Record<string, string>[] = [],
): string[] {
  const found = new Set<string>();
  const add = (value: string | undefined) => {
    if (value && !PUBLIC_DEFAULTS.has(value)) found.add(value);
  };
  const envs = [scenario.stack.app?.env ?? {}, ...scenario.stack.services.map((s) => s.env), injectedEnv];
  const named = new Set(scenario.redact ?? []);
  for (const env of envs) {
    for (const [name, value] of Object.entries(env)) {
      if (isSecretName(name) || named.has(name)) add(value);
      for (const part of urlCredentials(value)) add(part);
    }
  }
  // A compose file's secret that it also publishes as a plain value (POSTGRES_PASSWORD=bookshelf
  // beside POSTGRES_USER=bookshelf, a service named so) hides nothing when masked, and masking it
  // would blank the project's name in every line of every report.
  const published = new Set(
    [
      ...composeEnvs.flatMap((env) => Object.entries(env).filter(([n]) => !isSecretName(n) && !named.has(n))),
    ].map(([, v]) => v),
  );
  for (const env of composeEnvs) {
    for (const [name, value] of Object.entries(env)) {
      const parts = [...(isSecretName(name) || named.has(name) ? [value] : []), ...urlCredentials(value)];
      for (const part of parts) if (!published.has(part)) add(part);
    }
  }
  for (const entry of named) {
    if (!envs.some((env) => entry in env)) add(entry);
  }
  add(scenario.stack.postgres?.password);
  const requests = [
    ...scenario.load.flatMap((phase) => phase.requests),
    ...scenario.flows.flatMap((flow) => flow.steps),
  ];
  for (const r of requests) {
    for (const [name, value] of Object.entries(r.headers)) {
      if (isSecretName(name)) {
        add(value);
        // `Bearer abc`: the credential alone too, as a server may log it without the scheme.
        const credential = /^\s*\S+\s+(\S{4,})\s*$/.exec(value)?.[1];
        if (credential && !credential.includes('{{')) add(credential);
        // `Cookie: sessionid=abc; csrftoken=def`: each cookie's value.
        if (/cookie/i.test(name)) {
          for (const pair of value.split(';')) add(pair.slice(pair.indexOf('=') + 1).trim());
        }
      }
    }
    for (const value of queryCredentials(r.path)) add(value);
    for (const value of bodyCredentials(r.body)) add(value);
    if ('form' in r) for (const value of bodyCredentials(r.form)) add(value);
    // A login's password is a secret whatever its field is called.
    if ('login' in r && r.login) {
      add(r.login.password);
      for (const value of bodyCredentials(r.login.fields)) add(value);
    }
  }
  return [...found].filter((v) => !v.includes('{{'));
}

/** String values under secret-looking keys of a JSON body (`{ password: "x" }`), at any depth. */
function bodyCredentials(body: unknown): string[] {
  const out: string[] = [];
  const stack: unknown[] = [body];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) stack.push(...value);
    else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (typeof v === 'string' && isSecretName(k)) out.push(v);
        else stack.push(v);
      }
    }
  }
  return out;
}

/**
 * Role names too common to mask alone (`postgres` also names the database container in every
 * message); inside a URL they are masked with the rest of the userinfo anyway.
 */
const COMMON_USERS = new Set(['postgres', 'root', 'admin', 'user', 'guest', 'default', 'test', 'smokestack']);

/** `postgres://user:pw@host` → ['user:pw', 'pw', 'user']; plain text → []. */
function urlCredentials(value: string): string[] {
  const out: string[] = [];
  for (const m of value.matchAll(/[a-z][a-z0-9+.-]*:\/\/([^\s/@'"<>]+)@/gi)) {
    const userinfo = m[1]!;
    out.push(userinfo);
    const colon = userinfo.indexOf(':');
    const user = decode(colon >= 0 ? userinfo.slice(0, colon) : userinfo);
    if (colon >= 0) out.push(decode(userinfo.slice(colon + 1)));
    if (!COMMON_USERS.has(user.toLowerCase())) out.push(user);
  }
  return out;
}

/** Values of secret-looking query parameters in a request path (`/x?api_key=abc` → ['abc']). */
function queryCredentials(path: string): string[] {
  const q = path.indexOf('?');
  if (q < 0) return [];
  return path
    .slice(q + 1)
    .split('&')
    .flatMap((pair) => {
      const eq = pair.indexOf('=');
      return eq > 0 && isSecretName(pair.slice(0, eq)) ? [decode(pair.slice(eq + 1))] : [];
    });
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
