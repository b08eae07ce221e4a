// extends: the merge rule (mappings key by key, lists and values replaced) and where each field
// of the merged scenario was written (for the file and line of a problem).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { merge, readSource } from '../../../src/scenario/extends.js';
import { knownValues, offers } from '../../../src/templates/known-values.js';

describe('merge', () => {
  it('merges mappings deeply and replaces lists and values whole', () => {
    const base = { a: { x: 1, y: [1, 2], z: { k: 'v' } }, l: [{ n: 1 }, { n: 2 }], s: 'base' };
    const over = { a: { y: [3], z: { j: 'w' } }, l: [{ m: 1 }], s: 'over' };
    expect(merge(base, over)).toEqual({
      a: { x: 1, y: [3], z: { k: 'v', j: 'w' } },
      l: [{ m: 1 }],
      s: 'over',
    });
    expect(base.l).toHaveLength(2);
  });
});

describe('readSource', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'smokestack-extends-'));
  writeFileSync(
    path.join(dir, 'base.yaml'),
    'name: base\nload:\n  - name: a\n    duration: 1s\nbudgets:\n  warnAt: 0.4\n  criticalAt: 0.9\nmocks:\n  pay: { module: ./m/pay.js }\n',
  );

  it('places each field in the file that wrote it: lists whole in their owner, mapping keys one by one', () => {
    const child = path.join(dir, 'child.yaml');
    const s = readSource('extends: ./base.yaml\nname: child\nbudgets:\n  warnAt: 0.5\n', child);
    expect(s.files).toEqual([child, path.join(dir, 'base.yaml')]);
    expect(s.placeOf(['budgets', 'warnAt'])).toEqual({ file: child, line: 4 });
    expect(s.placeOf(['budgets', 'criticalAt'])).toEqual({ file: path.join(dir, 'base.yaml'), line: 7 });
    expect(s.placeOf(['load', 0, 'duration'])).toEqual({ file: path.join(dir, 'base.yaml'), line: 4 });
    expect(s.data.extends).toBeUndefined();
  });
});

describe('known values', () => {
  it('TMDB offers its dataset to traffic and served counts and calls to integrity checks', () => {
    const tmdb = knownValues({ name: 'tmdb', kind: 'tmdb' });
    expect(tmdb.traffic).toEqual(['ids', 'pages', 'movies']);
    expect(offers(tmdb.integrity ?? [], 'served.movies')).toBe(true);
    expect(offers(tmdb.integrity ?? [], 'calls')).toBe(true);
    expect(offers(tmdb.integrity ?? [], 'status.429')).toBe(true);
    expect(offers(tmdb.integrity ?? [], 'routes.get-3-movie-id.status.200')).toBe(true);
    expect(offers(tmdb.integrity ?? [], 'routes.any-any.calls')).toBe(true);
    expect(offers(tmdb.integrity ?? [], 'routes.get-3-movie-idd.calls')).toBe(false);
    expect(offers(tmdb.integrity ?? [], 'status.ok')).toBe(false);
    expect(offers(tmdb.integrity ?? [], 'calls.byRoute')).toBe(false);
    expect(offers(tmdb.integrity ?? [], 'served.requests')).toBe(false);
  });

  it('a handlers module that was not read offers nothing known (no check), one that was its keys', () => {
    expect(knownValues({ name: 'pay', kind: 'handlers' }).traffic).toBeUndefined();
    const read = knownValues({
      name: 'pay',
      kind: 'handlers',
      values: ['ids'],
      served: [],
      routes: ['post-v1-charges'],
    });
    expect(read.traffic).toEqual(['ids']);
    expect(read.integrity).toEqual([
      'ids',
      'calls',
      'status.<status>',
      'routes.post-v1-charges.calls',
      'routes.post-v1-charges.status.<status>',
      'routes.unmatched.calls',
      'routes.unmatched.status.<status>',
    ]);
  });
});
