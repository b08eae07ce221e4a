// One scenario query, run so that it cannot write and cannot outstay its time: in its own
// `BEGIN READ ONLY` transaction, always rolled back, with `SET LOCAL statement_timeout` set by us
// before it (and read back, so a previous query cannot have lifted it), sent over the extended
// protocol (Postgres refuses a second statement there: "cannot insert multiple commands into a
// prepared statement"). The statement's own timer is armed when it starts, so a
// `set_config('statement_timeout', '0', …)` inside it changes nothing for it; the rollback undoes
// it for the next one. The session is also opened read-only (default_transaction_read_only), see
// pg-session.ts.
//
// A `Deadline` bounds all the queries of a stage together: when it passes, or on Ctrl-C, the
// running query is cancelled on the server (pg_cancel_backend from a second connection), not just
// abandoned — with --database-url that is someone's real database.
import createDebug from 'debug';
import pg from 'pg';
import { InterruptedError } from '../errors.js';
import { formatDuration } from '../units/index.js';

const debug = createDebug('smokestack:observe');

export interface ReadOnlyOptions {
  /** Per query; the deadline's remaining time when shorter. */
  statementTimeoutMs: number;
  deadline: Deadline;
  /** Bound parameters ($1, …) of the harness's own queries (the reconciliation's served ids). */
  params?: unknown[];
}

/** Why a query was cut short by us (not refused by the database). */
export class QueryCut extends Error {
  constructor(
    readonly why: 'deadline' | 'statement-timeout',
    text: string,
  ) {
    super(text);
  }
}

/** Rows (array mode) of one read-only query. Throws QueryCut, InterruptedError or the database's error. */
export async function readOnlyQuery(
  client: pg.Client,
  sql: string,
  options: ReadOnlyOptions,
): Promise<unknown[][]> {
  const { deadline } = options;
  deadline.throwIfOver();
  // A second past the deadline: when the deadline is the nearer limit, it (not the timer) cuts the
  // query and says so; the timer stays as the backstop if the cancel cannot get through.
  const timeoutMs = Math.max(1, Math.min(options.statementTimeoutMs, deadline.remainingMs() + 1_000));
  await client.query('BEGIN READ ONLY');
  try {
    await client.query(`SET LOCAL statement_timeout = ${Math.ceil(timeoutMs)}`);
    const check = await client.query({
      text: "SELECT current_setting('transaction_read_only'), current_setting('statement_timeout')",
      rowMode: 'array',
    });
    const [readOnly, timeout] = (check.rows[0] ?? []) as string[];
    if (readOnly !== 'on')
      throw new Error(`the transaction is not read-only (transaction_read_only = ${readOnly})`);
    if (timeout === '0') throw new Error('the statement timeout is off');
    const result = await deadline.cancelling(client, () =>
      client.query({
        text: sql,
        values: options.params,
        rowMode: 'array',
        queryMode: 'extended',
      } as pg.QueryConfig),
    );
    return result.rows as unknown[][];
  } catch (error) {
    if ((error as { code?: string }).code === '57014' && !deadline.cutBy()) {
      if (/statement timeout/.test((error as Error).message))
        throw new QueryCut(
          'statement-timeout',
          `cancelled after the statement timeout of ${formatDuration(timeoutMs)}`,
        );
    }
    const cut = deadline.cutBy();
    if (cut === 'signal') throw new InterruptedError(deadline.signalReason());
    if (cut === 'deadline') throw new QueryCut('deadline', deadline.describe());
    throw error;
  } finally {
    await client.query('ROLLBACK').catch((error: unknown) => debug('rollback failed: %s', error));
  }
}

/** One deadline for a stage's queries, and Ctrl-C: either cancels the running query on the server. */
export class Deadline {
  private readonly endsAt: number;
  private cut: 'deadline' | 'signal' | undefined;

  constructor(
    private readonly totalMs: number,
    private readonly databaseUrl: string,
    private readonly what: string,
    private readonly signal?: AbortSignal,
  ) {
    this.endsAt = Date.now() + totalMs;
  }

  remainingMs(): number {
    return this.endsAt - Date.now();
  }

  cutBy(): 'deadline' | 'signal' | undefined {
    return this.cut ?? (this.signal?.aborted ? 'signal' : this.remainingMs() <= 0 ? 'deadline' : undefined);
  }

  signalReason(): string {
    return String(this.signal?.reason ?? 'SIGINT');
  }

  describe(): string {
    return `cut by the deadline of ${formatDuration(this.totalMs)} for ${this.what}`;
  }

  throwIfOver(): void {
    const cut = this.cutBy();
    if (cut === 'signal') throw new InterruptedError(this.signalReason());
    if (cut === 'deadline') throw new QueryCut('deadline', this.describe());
  }

  /** Runs `query`; if the deadline passes or the signal fires meanwhile, cancels it on the server. */
  async cancelling<T>(client: pg.Client, query: () => Promise<T>): Promise<T> {
    const pid = (client as unknown as { processID: number | null }).processID;
    const cancel = (why: 'deadline' | 'signal') => {
      this.cut ??= why;
      if (pid !== null) void cancelBackend(this.databaseUrl, pid);
    };
    const timer = setTimeout(() => cancel('deadline'), Math.max(0, this.remainingMs()));
    const onAbort = () => cancel('signal');
    this.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await query();
    } finally {
      clearTimeout(timer);
      this.signal?.removeEventListener('abort', onAbort);
    }
  }
}

async function cancelBackend(databaseUrl: string, pid: number): Promise<void> {
  const side = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  side.on('error', () => {});
  try {
    await side.connect();
    await side.query('SELECT pg_cancel_backend($1)', [pid]);
    debug('cancelled backend %d', pid);
  } catch (error) {
    debug('cancelling backend %d failed: %s', pid, error);
  } finally {
    await side.end().catch(() => {});
  }
}
