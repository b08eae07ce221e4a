// Reading which env variables a settings module reads, and their defaults.
import { describe, expect, it } from 'vitest';
import { envReadsInPython, pythonOfShebang, settingsModuleOf } from '../../../src/init/python-env.js';

describe('envReadsInPython', () => {
  it('reads os.environ.get, os.getenv, os.environ[...], env()/config() helpers, with string defaults', () => {
    const text = [
      'A = os.environ.get("TMDB_API_BASE", "https://api.themoviedb.org").rstrip("/")',
      "B = os.getenv('OMDB_URL')",
      'C = os.environ["SECRET_KEY"]',
      'D = env_int("TIMEOUT", 10)',
      'E = env.str("PAYMENTS_API_URL", default="https://pay.example/api")',
      'F = config("SENTRY_DSN", default="")',
      '# G = os.environ.get("COMMENTED_OUT", "x")',
      'H = something("NOT_ENV", "x")',
    ].join('\n');
    expect(envReadsInPython(text)).toEqual([
      { name: 'TMDB_API_BASE', default: 'https://api.themoviedb.org' },
      { name: 'OMDB_URL' },
      { name: 'TIMEOUT' },
      { name: 'PAYMENTS_API_URL', default: 'https://pay.example/api' },
      { name: 'SENTRY_DSN', default: '' },
      { name: 'SECRET_KEY' },
    ]);
  });

  it('finds manage.py’s settings module and the python of a shebang', () => {
    expect(settingsModuleOf('os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookshelf.settings")')).toBe(
      'bookshelf.settings',
    );
    expect(pythonOfShebang('#!/usr/bin/env python3\n')).toBe('python3');
    expect(pythonOfShebang('#!/usr/bin/env -S python3.11 -u\n')).toBe('python3.11');
    expect(pythonOfShebang('#!/bin/sh\n')).toBeUndefined();
    expect(pythonOfShebang('import os\n')).toBeUndefined();
  });
});
