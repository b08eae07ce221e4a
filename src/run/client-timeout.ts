import { DEFAULT_CLIENT_TIMEOUT_MS } from '../load/phases.js';

/**
 * Every request's client timeout. It must outlast the server's own kill (T, then SIGKILL about a
 * second later, then the log line), so what we observe is the kill: twice T plus 5 s, at least a
 * minute. It also bounds how long a phase's requests in flight are awaited when a hung or paused
 * app never answers: such a request ends as `client timeout` and is judged (killed: no response
 * past T). With no worker timeout (T = 0) nothing kills a request, so we wait up to 10 minutes.
 */
export function clientTimeoutFor(serverTimeoutMs: number): number {
  if (!(serverTimeoutMs > 0)) return DEFAULT_CLIENT_TIMEOUT_MS;
  return Math.max(60_000, serverTimeoutMs * 2 + 5_000);
}
