import { describe, expect, it } from 'vitest';
import { fileFromTar } from '../../../src/stack/tar.js';

function header(name: string, size: number, type: string, link = ''): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write(type, 156);
  h.write(link, 157);
  return h;
}
const pad = (b: Buffer) => Buffer.concat([b, Buffer.alloc((512 - (b.length % 512)) % 512)]);

describe('fileFromTar', () => {
  it('returns the first regular file, skipping PAX records', () => {
    const pax = pad(Buffer.from('30 path=some/very/long/name.py\n'));
    const body = Buffer.from('timeout = 60\nworkers = 3\n');
    const tar = Buffer.concat([
      header('PaxHeader', pax.length, 'x'),
      pax,
      header('g.py', body.length, '0'),
      pad(body),
      Buffer.alloc(1024),
    ]);
    const entry = fileFromTar(tar);
    expect(entry?.name).toBe('g.py');
    expect(entry?.content.toString()).toBe('timeout = 60\nworkers = 3\n');
  });

  it('reports a symlink target, and nothing for an empty archive', () => {
    expect(
      fileFromTar(Buffer.concat([header('os-release', 0, '2', '../usr/lib/os-release'), Buffer.alloc(1024)])),
    ).toMatchObject({
      link: '../usr/lib/os-release',
    });
    expect(fileFromTar(Buffer.alloc(1024))).toBeUndefined();
  });
});
