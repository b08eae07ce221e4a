// A proxy's layer of the timeout chain, read from its image the way the proxy reads it: the
// whole configuration tree copied out of the image (never run), the scenario's files laid over
// it, then the pure reader of ./nginx/. Only nginx is known; another proxy is named as unknown,
// and the chain goes on without its limit.
import { readFile } from 'node:fs/promises';
import type { ChainLayer } from '../result/types.js';
import type { ImageReader } from './image-reader.js';
import { nginxLayer } from './nginx/layer.js';

export interface ProxyInput {
  image: string;
  port: number;
  appNames: string[];
  /** Container path → local file the scenario puts into the proxy. */
  files: { path: string; from: string }[];
  container: string;
  reader: ImageReader;
}

export async function detectProxyLayer(input: ProxyInput): Promise<ChainLayer> {
  return (await readProxy(input)).layer;
}

/**
 * The proxy's layer and the stack names its main location passes to (the next hop of the chain):
 * none when the image is no nginx or passes to no one of them.
 */
export async function readProxy(input: ProxyInput): Promise<{ layer: ChainLayer; upstreamHosts: string[] }> {
  const files = await input.reader.tree(input.image, '/etc/nginx');
  for (const f of input.files) files.set(f.path, await readFile(f.from, 'utf8'));
  const unknown = (why: string): ChainLayer => ({
    layer: 'proxy',
    kind: 'unknown',
    timeoutS: 0,
    timeoutSource: 'server-default',
    rule: 'unknown proxy: its limit is not known',
    container: input.container,
    detectedFrom: [why],
  });
  if (!files.has('/etc/nginx/nginx.conf'))
    return {
      layer: unknown(`${input.image} has no /etc/nginx/nginx.conf (only nginx is read)`),
      upstreamHosts: [],
    };
  const r = nginxLayer({
    files,
    port: input.port,
    appNames: input.appNames,
    scenarioFiles: new Set(input.files.map((f) => f.path)),
    container: input.container,
  });
  return 'layer' in r ? r : { layer: { ...unknown(r.problem), kind: 'nginx' }, upstreamHosts: [] };
}
