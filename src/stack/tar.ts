// The files (and symlinks) of a tar archive: what Docker's archive API returns for a path (one file,
// or a folder's tree). Ten lines of format beat a dependency: 512-byte headers, octal sizes, PAX/GNU long-name
// records skipped.

export interface TarEntry {
  name: string;
  content: Buffer;
  /** Set for a symlink: where it points. */
  link?: string;
}

export function fileFromTar(tar: Buffer): TarEntry | undefined {
  return entriesOfTar(tar, 1)[0];
}

/** Every regular file and symlink of a tar archive (a folder's tree), up to `max` of them. */
export function entriesOfTar(tar: Buffer, max = Number.POSITIVE_INFINITY): TarEntry[] {
  const out: TarEntry[] = [];
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0) || out.length >= max) return out;
    const name = cString(header.subarray(0, 100));
    const size = Number.parseInt(cString(header.subarray(124, 136)).trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const start = offset + 512;
    if (type === '0' || type === '\0' || type === '7')
      out.push({ name, content: tar.subarray(start, start + size) });
    if (type === '2') out.push({ name, content: Buffer.alloc(0), link: cString(header.subarray(157, 257)) });
    // x/g (PAX), L/K (GNU long names), directories, ...: skip to the next header.
    offset = start + Math.ceil(size / 512) * 512;
  }
  return out;
}

function cString(b: Buffer): string {
  const nul = b.indexOf(0);
  return b.subarray(0, nul < 0 ? b.length : nul).toString('utf8');
}
