// Templates: compiled once, rendered per request; seeded so a run is reproducible.
import { describe, expect, it } from 'vitest';
import {
  checkTemplate,
  compileBody,
  compileTemplate,
  seqCounter,
  streamSeed,
  templateContext,
  tryRender,
} from '../../../src/templates/template.js';
import { mulberry32 } from '../../../src/util/seeded-random.js';

const values = { tmdb: { ids: [550, 603, 27205], pages: 500 }, job: 'not-a-var' };

describe('templates', () => {
  it('leaves text without tags alone (static: no work per request)', () => {
    const t = compileTemplate('/api/movies?page=1');
    expect(t.isStatic).toBe(true);
    expect(t.render(templateContext({ seed: 1 }))).toBe('/api/movies?page=1');
  });

  it('renders {{random a b}} within [a, b], every value reachable', () => {
    const t = compileTemplate('/p/{{random 1 5}}');
    const ctx = templateContext({ seed: 42 });
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) seen.add(t.render(ctx));
    expect([...seen].sort()).toEqual(['/p/1', '/p/2', '/p/3', '/p/4', '/p/5']);
    expect(compileTemplate('{{random -3 -3}}').render(ctx)).toBe('-3');
  });

  it('counts {{seq}} per context', () => {
    const t = compileTemplate('/a?i={{seq}}&j={{ seq }}');
    const a = templateContext({ seed: 1 });
    const b = templateContext({ seed: 1 });
    expect([t.render(a), t.render(a), t.render(b)]).toEqual(['/a?i=1&j=2', '/a?i=3&j=4', '/a?i=1&j=2']);
  });

  it('shares one {{seq}} counter between contexts that are given it (a run: every phase, flow and copy)', () => {
    const t = compileTemplate('note {{seq}}');
    const nextSeq = seqCounter();
    const copies = [1, 2, 3].map((copy) => templateContext({ seed: copy, nextSeq, copy }));
    const sent = copies.flatMap((c) => [t.render(c), t.render(c)]);
    expect(new Set(sent).size).toBe(6);
    expect(sent.sort()).toEqual(['note 1', 'note 2', 'note 3', 'note 4', 'note 5', 'note 6']);
  });

  it('gives {{copy}} in a flow copy only, and a fresh {{uuid}} each time', () => {
    const t = compileTemplate('user{{copy}}-{{uuid}}');
    expect(t.readsCopy).toBe(true);
    const a = t.render(templateContext({ seed: 1, copy: 2 }));
    const b = t.render(templateContext({ seed: 1, copy: 2 }));
    expect(a).toMatch(/^user2-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(b).not.toBe(a);
    expect(() => t.render(templateContext({ seed: 1 }))).toThrow(
      '{{copy}}: only flow steps have a copy number',
    );
    expect(checkTemplate('{{uuid 4}}')).toBe('{{uuid 4}}: {{uuid}} takes no arguments');
  });

  it("reads {{cookies.NAME}} from the copy's jar, and says when the jar has none", () => {
    const jar: Record<string, string> = { csrftoken: 'tok' };
    const ctx = templateContext({ seed: 1, vars: { cookies: 'shadowed' }, cookie: (n) => jar[n] });
    expect(compileTemplate('{{cookies.csrftoken}}').render(ctx)).toBe('tok');
    expect(() => compileTemplate('{{cookies.sessionid}}').render(ctx)).toThrow(
      "{{cookies.sessionid}}: no cookie sessionid in this copy's jar (an earlier response must set it)",
    );
  });

  it('picks from a list in the values and reads dotted names', () => {
    const ctx = templateContext({ seed: 3, values });
    const t = compileTemplate('/api/movies/{{pick tmdb.ids}}?of={{tmdb.pages}}');
    for (let i = 0; i < 20; i++) expect(t.render(ctx)).toMatch(/^\/api\/movies\/(550|603|27205)\?of=500$/);
  });

  it('reads flow variables before values', () => {
    const ctx = templateContext({ seed: 1, values, vars: { job: 'j-17' } });
    expect(compileTemplate('/api/import/{{job}}').render(ctx)).toBe('/api/import/j-17');
  });

  it('is reproducible: the same seed gives the same sequence, another seed another one', () => {
    const t = compileTemplate('{{random 1 1000000}}/{{pick tmdb.ids}}');
    const run = (seed: number) => {
      const ctx = templateContext({ seed, values });
      return Array.from({ length: 10 }, () => t.render(ctx));
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
    expect(streamSeed(1, 'load:browse')).not.toBe(streamSeed(1, 'load:search'));
    const u = mulberry32(1);
    for (let i = 0; i < 1000; i++) expect(u()).toBeGreaterThanOrEqual(0);
  });

  it('says what is wrong with a tag', () => {
    expect(checkTemplate('/a/{{random 1}}')).toBe(
      '{{random 1}}: expected {{random MIN MAX}} with two integers, like {{random 1 50}}',
    );
    expect(checkTemplate('{{random 5 1}}')).toBe('{{random 5 1}}: MIN is above MAX');
    expect(checkTemplate('{{pick}}')).toBe(
      '{{pick}}: expected {{pick LIST}} with a dotted name, like {{pick tmdb.ids}}',
    );
    expect(checkTemplate('{{seq 2}}')).toBe('{{seq 2}}: {{seq}} takes no arguments');
    expect(checkTemplate('{{what is this}}')).toBe(
      '{{what is this}}: unknown template; expected {{random MIN MAX}}, {{seq}}, {{uuid}}, {{copy}}, {{pick LIST}} or {{name}}',
    );
    expect(checkTemplate('/a/{{seq')).toBe('unbalanced {{ }} in "/a/{{seq"');
    expect(checkTemplate('/a/{{seq}}')).toBeUndefined();
  });

  it('finds missing values before traffic (tryRender)', () => {
    const ctx = templateContext({ seed: 1, values });
    expect(tryRender([compileTemplate('{{pick tmdb.nope}}')], ctx)).toBe(
      '{{pick tmdb.nope}}: tmdb.nope is not a non-empty list',
    );
    expect(tryRender([compileTemplate('{{stripe.key}}')], ctx)).toBe(
      '{{stripe.key}}: no value named stripe.key',
    );
    expect(tryRender([compileTemplate('{{pick tmdb.ids}}')], ctx)).toBeUndefined();
  });

  it('renders JSON bodies: templated string leaves, a whole-tag leaf keeps its type', () => {
    const body = compileBody({
      id: '{{pick tmdb.ids}}',
      q: 'q-{{seq}}',
      n: 3,
      tags: ['{{seq}}', 'x'],
      deep: { ok: true },
    });
    expect(body.isStatic).toBe(false);
    const parsed = JSON.parse(body.render(templateContext({ seed: 1, values })));
    expect([550, 603, 27205]).toContain(parsed.id);
    expect(parsed).toMatchObject({ q: 'q-1', n: 3, tags: [2, 'x'], deep: { ok: true } });
  });

  it('serialises a static body once; a string body is sent as written', () => {
    const fixed = compileBody({ a: [1, 'b'] });
    expect(fixed.isStatic).toBe(true);
    expect(fixed.render(templateContext({ seed: 1 }))).toBe('{"a":[1,"b"]}');
    expect(compileBody('page={{seq}}').render(templateContext({ seed: 1 }))).toBe('page=1');
  });
});
