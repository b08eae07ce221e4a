// One flow copy's cookies: the copy is one user, so every Set-Cookie it receives is kept and sent
// on its following requests, as a browser would.
//
// tough-cookie (RFC 6265: domain and path matching, Expires/Max-Age, Secure, host-only cookies,
// public-suffix rules) does the bookkeeping; it is the jar msw and most Node HTTP clients already
// use, and its in-memory store answers synchronously, which templates need while rendering.
import { CookieJar } from 'tough-cookie';

export interface FlowCookies {
  /** Stores a response's Set-Cookie headers, as received from `url`. */
  store(url: string, setCookie: string | string[] | undefined): void;
  /** The Cookie header for a request to `url`, or undefined when the jar has none for it. */
  header(url: string): string | undefined;
  /** The value of a cookie the jar would send to the target (any path); undefined when none. */
  get(name: string): string | undefined;
}

/** A fresh jar for one copy; `origin` is the target's (cookies are looked up by name there). */
export function flowCookies(origin: string): FlowCookies {
  const jar = new CookieJar();
  return {
    store(url, setCookie) {
      if (setCookie === undefined) return;
      // A cookie the server sets wrongly (a foreign domain) is dropped, as a browser drops it.
      for (const c of Array.isArray(setCookie) ? setCookie : [setCookie])
        jar.setCookieSync(c, url, { ignoreError: true });
    },
    header(url) {
      const text = jar.getCookieStringSync(url);
      return text === '' ? undefined : text;
    },
    get(name) {
      // Sorted most specific path first, then oldest: the one a browser sends first.
      return jar.getCookiesSync(origin, { allPaths: true }).find((c) => c.key === name)?.value;
    },
  };
}
