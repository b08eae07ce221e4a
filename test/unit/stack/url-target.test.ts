import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { checkUrlTarget } from '../../../src/stack/url-target.js';

describe('checkUrlTarget', () => {
  it.each([
    'http://127.0.0.1:8000',
    'http://127.42.0.9/api',
    'http://localhost:3000/',
    'https://LOCALHOST./x',
    'http://app.localhost:8080',
    'http://[::1]:8000',
    'http://[0:0:0:0:0:0:0:1]/',
    'http://[::ffff:127.0.0.1]:80/',
    'http://127.1:8000',
  ])('accepts the loopback target %s', (url) => {
    expect(checkUrlTarget(url).href).toBe(new URL(url).href);
  });

  it.each([
    'http://staging.example.com',
    'http://10.0.0.5:8000',
    'http://192.168.1.10',
    'http://0.0.0.0:8000',
    'http://[::ffff:10.0.0.1]/',
    'http://localhost.example.com',
    'http://128.0.0.1',
  ])('refuses the remote target %s', (url) => {
    try {
      checkUrlTarget(url);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      expect((e as UsageError).code).toBe('REMOTE_TARGET_REFUSED');
      expect((e as UsageError).exitCode).toBe(2);
      expect((e as UsageError).fix).toMatch(/--allow-remote /);
    }
  });

  it('accepts a remote host named in --allow-remote, and only that one', () => {
    expect(checkUrlTarget('https://staging.example.com/', ['staging.example.com']).host).toBe(
      'staging.example.com',
    );
    expect(checkUrlTarget('http://10.0.0.5:8000', [' 10.0.0.5 ']).port).toBe('8000');
    expect(checkUrlTarget('http://[fd00::1]:80/', ['[fd00::1]']).hostname).toBe('[fd00::1]');
    expect(() => checkUrlTarget('https://prod.example.com/', ['staging.example.com'])).toThrow(/refusing/);
  });

  it('rejects what is not an http(s) URL', () => {
    expect(() => checkUrlTarget('127.0.0.1:8000')).toThrow(UsageError);
    expect(() => checkUrlTarget('not a url')).toThrow(/not a URL/);
    expect(() => checkUrlTarget('ftp://127.0.0.1/')).toThrow(/only http/);
  });
});
