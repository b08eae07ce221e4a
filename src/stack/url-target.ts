// `run --url`: the deployment under load must be on this machine (loopback) unless the user names
// its host with `--allow-remote HOST`, so nobody load-tests production by a typo.
import { isIPv4, isIPv6 } from 'node:net';
import { UsageError } from '../errors.js';

/** Parses and checks a --url target; returns the URL, or throws UsageError (exit 2). */
export function checkUrlTarget(url: string, allowRemote: string[] = []): URL {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new UsageError(`--url ${url}: not a URL`, { fix: 'give a full URL such as http://127.0.0.1:8000' });
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new UsageError(`--url ${url}: only http and https targets can be load-tested`, {
      fix: 'give a full URL such as http://127.0.0.1:8000',
    });
  }
  const host = bareHost(target.hostname);
  if (isLoopback(host)) return target;
  const allowed = allowRemote.map((h) => bareHost(h.trim().toLowerCase())).filter((h) => h !== '');
  if (allowed.includes(host)) return target;
  throw new UsageError(`--url ${url}: ${host} is not this machine; refusing to send load to a remote host`, {
    code: 'REMOTE_TARGET_REFUSED',
    fix: `if ${host} really is a staging deployment you may load, add --allow-remote ${host}`,
  });
}

/** URL.hostname keeps IPv6 brackets and a trailing root dot; neither changes which host it is. */
function bareHost(hostname: string): string {
  let h = hostname.toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h.endsWith('.')) h = h.slice(0, -1);
  return h;
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  // WHATWG URL parsing already normalised IPv4 shorthands (127.1, 0x7f.1) to dotted quads.
  if (isIPv4(host)) return host.startsWith('127.');
  if (isIPv6(host)) {
    if (host === '::1') return true;
    // IPv4-mapped loopback, as URL serialises it (::ffff:7f00:1).
    const mapped = /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.exec(host);
    return mapped !== null;
  }
  return false;
}
