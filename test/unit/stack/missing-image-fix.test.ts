// On a machine without a registry, the missing Postgres image's fix is SMOKESTACK_POSTGRES_IMAGE and
// the image `npm run images` builds: that script never builds postgres:16-alpine.
import { describe, expect, it } from 'vitest';
import { missingImageFix } from '../../../src/stack/images.js';

describe('missingImageFix', () => {
  it('the default Postgres image: name SMOKESTACK_POSTGRES_IMAGE and smokestack/postgres:15', () => {
    const fix = missingImageFix('postgres:16-alpine', 'postgres:16-alpine');
    expect(fix).toContain('SMOKESTACK_POSTGRES_IMAGE=smokestack/postgres:15');
    expect(fix).toContain('`npm run images`');
  });
  it('the local Postgres image itself, and any other image: npm run images', () => {
    expect(missingImageFix('smokestack/postgres:15', 'smokestack/postgres:15')).toBe(
      'build it with `npm run images`',
    );
    expect(missingImageFix('myapp:1', 'postgres:16-alpine')).toContain('npm run images');
    expect(missingImageFix('myapp:1', 'postgres:16-alpine')).not.toContain('SMOKESTACK_POSTGRES_IMAGE');
  });
});
