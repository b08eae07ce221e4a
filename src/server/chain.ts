// The timeout chain: every limit a request meets on its way to the worker (an edge layer, a
// reverse proxy, the server's worker timeout T), and the deadline that follows from it. Pure.
// A proxy's limit counts from when it sent the request upstream, so time waiting in the server's
// listen queue counts against it; T counts only time in a worker (docs/timeout-chain.md).
import type { ChainLayer, FlaggedRequest, LayerName, ServerConfig } from '../result/types.js';
import { locationFor } from './nginx/timeouts.js';

export interface TimeoutChain {
  chain: ChainLayer[];
  /** The smallest limit of the chain, seconds (0: no layer has one). */
  deadlineS: number;
}

export type Deadline = NonNullable<FlaggedRequest['deadline']>;

/** The server's own layer: T, as detection found it. */
export function serverLayer(server: ServerConfig): ChainLayer {
  return {
    layer: 'server',
    kind: server.kind,
    timeoutS: server.timeoutS,
    timeoutSource: server.timeoutSource,
    rule:
      server.kind === 'gunicorn'
        ? 'worker timeout: time in a worker without a heartbeat (a sync worker beats only between requests); queue time not counted; the worker is killed'
        : 'worker timeout: time in a worker (queue time not counted)',
  };
}

/** The chain in the order a request meets it, and its deadline. */
export function timeoutChain(layers: {
  edge?: ChainLayer;
  proxy?: ChainLayer;
  server: ServerConfig;
}): TimeoutChain {
  const chain = [layers.edge, layers.proxy, serverLayer(layers.server)].filter((l): l is ChainLayer => !!l);
  const limits = chain.map((l) => l.timeoutS).filter((s) => s > 0);
  return { chain, deadlineS: limits.length > 0 ? Math.min(...limits) : 0 };
}

/** The layers in front of the worker that limit a request to this path: each counts client-side time. */
export function frontLimitFor(chain: ChainLayer[], requestPath: string): Deadline | undefined {
  let best: Deadline | undefined;
  for (const l of chain) {
    if (l.layer === 'server') continue;
    const timeoutS = l.locations ? locationLimit(l.locations, requestPath) : l.timeoutS;
    if (timeoutS === undefined || !(timeoutS > 0)) continue;
    if (!best || timeoutS < best.timeoutS) best = { layer: l.layer, kind: l.kind, timeoutS };
  }
  return best;
}

/** The server's layer as a deadline, when it has a limit. */
export function workerLimit(chain: ChainLayer[]): Deadline | undefined {
  const s = chain.find((l) => l.layer === 'server');
  return s && s.timeoutS > 0 ? { layer: 'server', kind: s.kind, timeoutS: s.timeoutS } : undefined;
}

/** The smallest limit any request could meet (every location of every layer): what the recorder flags against. */
export function smallestLimitS(chain: ChainLayer[]): number {
  const limits = chain
    .flatMap((l) => [l.timeoutS, ...(l.locations ?? []).map((x) => x.timeoutS)])
    .filter((s) => s > 0);
  return limits.length > 0 ? Math.min(...limits) : 0;
}

export function layerNamed(chain: ChainLayer[], layer: LayerName): ChainLayer | undefined {
  return chain.find((l) => l.layer === layer);
}

/** The same choice nginx makes; a location that does not pass to the app has no limit (0). */
function locationLimit(
  locations: NonNullable<ChainLayer['locations']>,
  requestPath: string,
): number | undefined {
  return locationFor(locations, requestPath)?.timeoutS;
}
