// The one set of redaction rules. Reports travel as CI artifacts and pull-request comments and the
// console ends up in CI logs, so no secret of a run may reach them. Two kinds of rules, both pure:
//   by shape — a URL's userinfo, `Authorization:`/`Cookie:`/`Set-Cookie:` header values, `Bearer X`,
//     credential query parameters (`api_key=…`), JSON fields named like secrets (`"password": "…"`);
//   by value — every value the run knows to be secret (secret-values.ts), wherever it appears.
// Used by the report writer (every string of the result), the console, the mock call log and the
// database messages.

export const REDACTED = '••••';

/**
 * Parts of a name that mark it secret, as whole words of the name (split at _ - . and camelCase):
 * GITHUB_PAT, AUTH_HEADER, DB_PASS, SENTRY_DSN, stripeKey…
 */
const SECRET_WORDS = new Set([
  'KEY',
  'KEYS',
  'APIKEY',
  'SECRET',
  'SECRETS',
  'TOKEN',
  'TOKENS',
  'PASSWORD',
  'PASSWD',
  'PASS',
  'PWD',
  'PAT',
  'AUTH',
  'AUTHORIZATION',
  'CREDENTIAL',
  'CREDENTIALS',
  'CREDS',
  'PRIVATE',
  'SIGNATURE',
  'SIG',
  'COOKIE',
  'SESSION',
  'DSN',
  'SALT',
]);
/** ...and anywhere inside a name, for names written as one word (DBPASSWORD, MYAPITOKEN). */
const SECRET_INSIDE = /SECRET|TOKEN|PASSWORD|PASSWD|APIKEY|CREDENTIAL|PRIVATE/i;

/** Does this name (an env variable, a header, a query parameter, a JSON field) hold a secret? */
export function isSecretName(name: string): boolean {
  if (SECRET_INSIDE.test(name)) return true;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/);
  return words.some((w) => SECRET_WORDS.has(w));
}

/** `scheme://user:password@host` or `scheme://token@host`: the whole userinfo. */
const URL_USERINFO = /([a-z][a-z0-9+.-]*:\/\/)([^\s/@'"<>]+)@/gi;
/** Header values carrying credentials, in logs (`Authorization: Bearer x`) and dumps (`cookie=x`). */
const CREDENTIAL_HEADER =
  /\b((?:proxy-)?authorization|cookie|set-cookie|x-api-key|x-auth-token)(["']?\s*[:=]\s*["']?)([^\r\n"']+)/gi;
const BEARER = /\b(bearer|basic)(\s+)([A-Za-z0-9._~+/=-]{4,})/gi;
/** `?api_key=x&…` in paths and log lines; the name test decides which parameters count. */
const QUERY_PARAM = /([?&;]|\b)([A-Za-z0-9_.-]+)=([^&\s#"'<>]+)/g;
/** `"password": "x"` in JSON bodies and snippets. */
const JSON_FIELD = /"([A-Za-z0-9_.-]+)"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;

/** Masks secrets by their shape in any text. */
export function redactShapes(text: string): string {
  let out = text;
  if (out.includes('://')) out = out.replace(URL_USERINFO, `$1${REDACTED}@`);
  out = out.replace(CREDENTIAL_HEADER, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`);
  out = out.replace(BEARER, (_m, scheme: string, space: string) => `${scheme}${space}${REDACTED}`);
  if (out.includes('=')) {
    out = out.replace(QUERY_PARAM, (m, lead: string, name: string, value: string) =>
      isSecretName(name) && value !== REDACTED ? `${lead}${name}=${REDACTED}` : m,
    );
  }
  if (out.includes('"')) {
    out = out.replace(JSON_FIELD, (m, name: string, sep: string) =>
      isSecretName(name) ? `"${name}"${sep}"${REDACTED}"` : m,
    );
  }
  return out;
}

/** Values shorter than this are not masked by value: `1` or `yes` would blank the report. */
export const MIN_SECRET_LENGTH = 4;

/** Masks the given secret values (and their URL-encoded forms) anywhere in text, then shapes. */
export function createMasker(values: Iterable<string>): (text: string) => string {
  const forms = new Set<string>();
  for (const v of values) {
    if (v.length < MIN_SECRET_LENGTH) continue;
    forms.add(v);
    forms.add(encodeURIComponent(v));
    forms.add(JSON.stringify(v).slice(1, -1));
  }
  // Longest first, so a secret that contains another is masked whole.
  const ordered = [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const f of ordered) if (out.includes(f)) out = out.split(f).join(REDACTED);
    return redactShapes(out);
  };
}
