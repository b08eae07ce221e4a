// Which service of a compose stack is its Postgres, and how to log in to it: the integrity checks
// query it from the host, as they query stack.postgres. Recognised as the official image is used:
// an image named postgres/postgis, or POSTGRES_* variables in its env — unless it is a client of
// the database (POSTGRES_HOST or DATABASE_URL in its env, as apps are wired). The credentials are
// the ones that image's entrypoint creates (POSTGRES_USER default postgres, POSTGRES_DB default the user).
import type { ComposeService } from './types.js';

const POSTGRES_IMAGE = /(^|\/)(postgres|postgis)(:|@|$)/;
const POSTGRES_ENV = ['POSTGRES_DB', 'POSTGRES_USER', 'POSTGRES_PASSWORD'];

export function isPostgresService(s: ComposeService): boolean {
  if (s.image !== undefined && POSTGRES_IMAGE.test(s.image)) return true;
  const client = 'POSTGRES_HOST' in s.env || 'DATABASE_URL' in s.env;
  return !client && POSTGRES_ENV.some((k) => k in s.env);
}

export interface PostgresLogin {
  user: string;
  password: string;
  database: string;
}

export function postgresLogin(s: ComposeService): PostgresLogin {
  const user = s.env.POSTGRES_USER || 'postgres';
  return { user, password: s.env.POSTGRES_PASSWORD ?? '', database: s.env.POSTGRES_DB || user };
}
