// One copy's cookie jar (tough-cookie underneath): what it sends back, by path and expiry, and
// what `{{cookies.NAME}}` reads.
import { describe, expect, it } from 'vitest';
import { flowCookies } from '../../../src/load/cookie-jar.js';

const origin = 'http://127.0.0.1:8000';

describe('flowCookies', () => {
  it('sends back what the server set, by path', () => {
    const jar = flowCookies(origin);
    jar.store(`${origin}/accounts/login/`, [
      'csrftoken=abc; expires=Fri, 01 Jan 2100 00:00:00 GMT; Max-Age=31449600; Path=/; SameSite=Lax',
      'sessionid=s1; HttpOnly; Path=/',
      'wizard=step2; Path=/wizard',
    ]);
    expect(jar.header(`${origin}/notes/`)).toBe('csrftoken=abc; sessionid=s1');
    expect(jar.header(`${origin}/wizard/next`)).toBe('wizard=step2; csrftoken=abc; sessionid=s1');
    expect(jar.get('csrftoken')).toBe('abc');
    expect(jar.get('wizard')).toBe('step2');
    expect(jar.get('nope')).toBeUndefined();
  });

  it('replaces a cookie set again and forgets one that expired', () => {
    const jar = flowCookies(origin);
    jar.store(`${origin}/`, 'csrftoken=old; Path=/');
    jar.store(`${origin}/`, 'csrftoken=new; Path=/');
    expect(jar.get('csrftoken')).toBe('new');
    // Django's logout: the session cookie set to expire in the past.
    jar.store(`${origin}/`, 'sessionid=s1; Path=/');
    jar.store(`${origin}/`, 'sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/');
    expect(jar.get('sessionid')).toBeUndefined();
    expect(jar.header(`${origin}/`)).toBe('csrftoken=new');
  });

  it('keeps no cookie for another domain and sends nothing when empty', () => {
    const jar = flowCookies(origin);
    jar.store(`${origin}/`, 'tracker=1; Domain=ads.example; Path=/');
    expect(jar.header(`${origin}/`)).toBeUndefined();
    jar.store(`${origin}/`, undefined);
    expect(jar.get('tracker')).toBeUndefined();
  });

  it('gives each copy its own jar', () => {
    const a = flowCookies(origin);
    const b = flowCookies(origin);
    a.store(`${origin}/`, 'sessionid=user1; Path=/');
    expect(b.get('sessionid')).toBeUndefined();
  });
});
