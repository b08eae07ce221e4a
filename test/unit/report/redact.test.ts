import { describe, expect, it } from 'vitest';
import { REDACTED, redact, redactEnv, redactResult, redactUrls } from '../../../src/redact/result.js';
import { hostileResult, SECRETS } from './fixtures.js';

describe('redact', () => {
  it.each([
    ['TMDB_API_KEY', 'abc'],
    ['GITHUB_TOKEN', 'ghp_x'],
    ['POSTGRES_PASSWORD', 'pw'],
    ['DB_PASS', 'pw'],
    ['client_secret', 'pw'],
    ['apiKey', 'x'],
  ])('masks %s by its name', (name, value) => {
    expect(redact(name, value)).toBe(REDACTED);
  });

  it('keeps ordinary values and removes credentials inside URLs', () => {
    expect(redact('DEBUG', 'false')).toBe('false');
    expect(redact('DATABASE_URL', 'postgres://app:s3cr3t@postgres:5432/movies')).toBe(
      'postgres://••••@postgres:5432/movies',
    );
    expect(redact('TMDB_API_BASE', 'http://host.docker.internal:41873/3')).toBe(
      'http://host.docker.internal:41873/3',
    );
  });

  it('finds URL credentials inside free text, leaves user-less URLs alone', () => {
    expect(redactUrls('could not connect to postgresql://u:p%40ss@db:5432/x (timeout)')).toBe(
      'could not connect to postgresql://••••@db:5432/x (timeout)',
    );
    expect(redactUrls('redis://:hunter2@cache:6379/0')).toBe('redis://••••@cache:6379/0');
    expect(redactUrls('http://127.0.0.1:8080/path@x')).toBe('http://127.0.0.1:8080/path@x');
  });

  it('redactEnv masks by name and by URL', () => {
    expect(redactEnv({ A_TOKEN: 't', URL: 'amqp://u:pw@mq/' })).toEqual({
      A_TOKEN: REDACTED,
      URL: 'amqp://••••@mq/',
    });
  });

  it('redactResult leaves no secret anywhere in the result and does not touch the input', () => {
    const input = hostileResult();
    const before = JSON.stringify(input);
    const out = JSON.stringify(redactResult(input));
    expect(out).not.toContain(SECRETS.apiKey);
    expect(out).not.toContain(SECRETS.dbPassword);
    expect(out).toContain('postgres://••••@postgres:5432/movies');
    expect(JSON.stringify(input)).toBe(before);
  });
});
