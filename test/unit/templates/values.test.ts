import { describe, expect, it } from 'vitest';
import { truthy } from '../../../src/observe/settle.js';
import { hasTemplate, renderTemplate } from '../../../src/templates/values.js';

const values = { mocks: { tmdb: { served: { movies: 1000, pages: 50 } } }, label: 'x' };

describe('renderTemplate', () => {
  it('fills dotted paths, with or without spaces inside the braces', () => {
    expect(renderTemplate('{{mocks.tmdb.served.movies}}', values)).toEqual({ ok: true, text: '1000' });
    expect(renderTemplate('SELECT {{ mocks.tmdb.served.pages }} - count(*) FROM t', values)).toEqual({
      ok: true,
      text: 'SELECT 50 - count(*) FROM t',
    });
    expect(renderTemplate('no templates', values)).toEqual({ ok: true, text: 'no templates' });
  });

  it('names the unknown template and what is known there', () => {
    expect(renderTemplate('{{mocks.tmdb.served.shows}}', values)).toEqual({
      ok: false,
      problem:
        '{{mocks.tmdb.served.shows}}: no value shows under mocks.tmdb.served (known: mocks.tmdb.served.movies, mocks.tmdb.served.pages)',
    });
    expect(renderTemplate('{{mocks.stripe.served.charges}}', values)).toMatchObject({
      ok: false,
      problem: expect.stringContaining('no value stripe under mocks (known: mocks.tmdb)'),
    });
  });

  it('refuses objects and non-path templates', () => {
    expect(renderTemplate('{{mocks.tmdb}}', values)).toMatchObject({
      ok: false,
      problem: '{{mocks.tmdb}}: not a single value',
    });
    expect(renderTemplate('{{random 1 5}}', values)).toMatchObject({
      ok: false,
      problem: expect.stringContaining('not a value path'),
    });
  });

  it('hasTemplate', () => {
    expect(hasTemplate('{{a.b}}')).toBe(true);
    expect(hasTemplate('100')).toBe(false);
  });
});

describe('truthy (settle query values)', () => {
  it.each([
    [true, true],
    ['t', true],
    [1, true],
    ['3', true],
    ['done', true],
    [false, false],
    ['f', false],
    [0, false],
    ['0', false],
    [null, false],
    ['', false],
  ])('%s → %s', (value, expected) => {
    expect(truthy(value)).toBe(expected);
  });
});
