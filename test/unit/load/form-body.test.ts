// Form bodies as a browser encodes them, so Django's request.POST reads back what was written.
import { describe, expect, it } from 'vitest';
import { formBody } from '../../../src/load/form-body.js';

describe('formBody', () => {
  it('encodes spaces as +, reserved characters and UTF-8 as percent escapes, in order', () => {
    expect(
      formBody([
        ['title', 'Book 7 & more = fun'],
        ['csrfmiddlewaretoken', 'a+b/c'],
        ['note', 'Übermorgen ✓'],
      ]),
    ).toBe('title=Book+7+%26+more+%3D+fun&csrfmiddlewaretoken=a%2Bb%2Fc&note=%C3%9Cbermorgen+%E2%9C%93');
  });

  it('round-trips through a parser of the same encoding', () => {
    const fields: [string, string][] = [
      ['username', 'user 1'],
      ['password', 'p@ss%w0rd&x=y'],
      ['empty', ''],
    ];
    expect([...new URLSearchParams(formBody(fields))]).toEqual(fields);
  });
});
