// nginx as a layer of the timeout chain: from its configuration tree (copied out of the image,
// with the scenario's files over it), the server block that takes the harness's traffic on the
// proxy's port, the location `/` falls in and every location beside it; a location that passes
// to the app (one of its network names) limits a request by its read timeout — the wait for the
// upstream's next bytes, so for a response not begun yet its first byte: 504 when it runs out.
import type { ChainLayer, TimeoutSource } from '../../result/types.js';
import { type ConfigFiles, DEBIAN_MAIN_FILE, loadNginxConfig } from './includes.js';
import { NginxSyntaxError } from './parse.js';
import { locationFor, type NginxLocation, nginxServers, serverForPort } from './timeouts.js';

export const NGINX_READ_RULE =
  'read timeout: the longest wait between two reads from the upstream (for a response not yet begun, its first byte), counted from when nginx sent the request, queue time included; the client gets 504';

export interface NginxLayerInput {
  files: ConfigFiles;
  main?: string;
  /** The container port the harness sends traffic to. */
  port: number;
  /** The app's names on the network (`app` and its aliases). */
  appNames: string[];
  /** Files the scenario put into the proxy (their values are the scenario's, not the image's). */
  scenarioFiles?: ReadonlySet<string>;
  container?: string;
}

export type NginxLayerResult = { layer: ChainLayer; upstreamHosts: string[] } | { problem: string };

export function nginxLayer(input: NginxLayerInput): NginxLayerResult {
  let loaded: ReturnType<typeof loadNginxConfig>;
  try {
    loaded = loadNginxConfig(input.files, input.main ?? DEBIAN_MAIN_FILE);
  } catch (error) {
    if (error instanceof NginxSyntaxError) return { problem: `nginx configuration: ${error.message}` };
    throw error;
  }
  if (loaded.directives.length === 0)
    return { problem: `no nginx configuration at ${input.main ?? DEBIAN_MAIN_FILE}` };
  const server = serverForPort(nginxServers(loaded.directives), input.port);
  if (!server) return { problem: `no nginx server block listens on port ${input.port}` };
  const toApp = (l: NginxLocation) => l.passesTo?.hosts.some((h) => input.appNames.includes(h.host)) ?? false;
  const root = locationFor(server.locations, '/');
  const main = root && toApp(root) ? root : server.locations.find(toApp);
  if (!main)
    return { problem: `nginx on port ${input.port} passes no location to ${input.appNames.join(' or ')}` };
  const read = main.timeouts.read;
  const source: TimeoutSource = read.isDefault
    ? 'server-default'
    : input.scenarioFiles?.has(read.source.split(':')[0]!)
      ? 'scenario'
      : 'image';
  const family = main.passesTo!.family;
  const detectedFrom = [
    `server block ${server.file}:${server.line} (port ${input.port})`,
    `location ${main.match} (${main.file}:${main.line}) passes to ${main.passesTo!.target}`,
    `${family}_read_timeout ${read.seconds}s (${read.source})`,
    ...loaded.missing.map((m) => `${m.file}:${m.line}: include ${m.include} is missing`),
  ];
  return {
    upstreamHosts: [...new Set(main.passesTo!.hosts.map((h) => h.host))],
    layer: {
      layer: 'proxy',
      kind: 'nginx',
      timeoutS: read.seconds,
      timeoutSource: source,
      rule: NGINX_READ_RULE.replace('read timeout', `${family}_read_timeout`),
      ...(input.container ? { container: input.container } : {}),
      detectedFrom,
      locations: server.locations.map((l) => ({
        match: l.match,
        modifier: l.modifier,
        uri: l.uri,
        timeoutS: toApp(l) ? l.timeouts.read.seconds : 0,
      })),
    },
  };
}
