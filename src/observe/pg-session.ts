// One short database session for the checks after a run: connect (or say clearly why not, as an
// infrastructure error), run the callback, always close. Statement and connect timeouts keep a
// stuck query or an unanswering host from hanging the run.
import createDebug from 'debug';
import pg from 'pg';
import { InfraError } from '../errors.js';
import { redactShapes } from '../redact/rules.js';

const debug = createDebug('smokestack:observe');

export interface SessionOptions {
  /** Default 10 s. */
  connectTimeoutMs?: number;
  /** Default 60 s. */
  statementTimeoutMs?: number;
  /**
   * Open the session read-only (default_transaction_read_only=on in the startup options), for
   * sessions that run the scenario's own SQL; each query also runs in its own READ ONLY
   * transaction (read-only-query.ts), which a statement cannot lift for itself.
   */
  readOnly?: boolean;
}

export async function withDatabase<T>(
  databaseUrl: string,
  fn: (client: pg.Client) => Promise<T>,
  options: SessionOptions = {},
): Promise<T> {
  const client = new pg.Client({
    connectionString: databaseUrl,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    statement_timeout: options.statementTimeoutMs ?? 60_000,
    ...(options.readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
  });
  // A connection dropped mid-session emits 'error'; the pending query rejects with it anyway.
  client.on('error', (error) => debug('database connection error: %s', error.message));
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new InfraError(
      'DATABASE_UNREACHABLE',
      `database ${redactUrl(databaseUrl)} unreachable: ${message(error)}`,
      {
        fix: "check that the stack's Postgres is running, or that --database-url points at a reachable database with the right user and password",
        cause: error,
      },
    );
  }
  try {
    return await fn(client);
  } finally {
    await client
      .end()
      .catch((error: unknown) => debug('closing the database session failed: %s', message(error)));
  }
}

/** The URL without its credentials, for messages (the one rule set: src/redact/rules.ts). */
export function redactUrl(databaseUrl: string): string {
  try {
    new URL(databaseUrl);
    return redactShapes(databaseUrl);
  } catch {
    return '(an unparseable database URL)';
  }
}

export function message(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return message(error.errors[0]);
  if (error instanceof Error) return error.message || error.name || String((error as { code?: string }).code);
  return String(error);
}
