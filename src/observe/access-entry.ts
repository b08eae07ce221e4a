// One request as a server's access log tells it (read by ./access-log.ts and ./access-format.ts).
export interface AccessEntry {
  /** Epoch ms the line arrived: both servers write it right after the response's last byte. */
  at: number;
  method: string;
  /** The path as the client sent it, query included. */
  path: string;
  status: number;
  /** Time in the worker, ms (µs precision where the server gives it). */
  workerMs: number;
  pid?: number;
  /** Container the line came from. */
  source?: string;
}
