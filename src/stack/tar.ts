// The first regular file (or symlink) of a tar archive: what Docker's archive API returns for one
// path. Ten lines of format beat a dependency: 512-byte headers, octal sizes, PAX/GNU long-name
// records skipped.

export interface TarEntry {
  name: string;
  content: Buffer;
  /** Set for a symlink: where it points. */
  link?: string;
}

export function fileFromTar(tar: Buffer): TarEntry | undefined {
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) return undefined;
    const name = cString(header.subarray(0, 100));
    const size = Number.parseInt(cString(header.subarray(124, 136)).trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const start = offset + 512;
    if (type === '0' || type === '\0' || type === '7') {
      return { name, content: tar.subarray(start, start + size) };
    }
    if (type === '2') return { name, content: Buffer.alloc(0), link: cString(header.subarray(157, 257)) };
    // x/g (PAX), L/K (GNU long names), directories, ...: skip to the next header.
    offset = start + Math.ceil(size / 512) * 512;
  }
  return undefined;
}

function cString(b: Buffer): string {
  const nul = b.indexOf(0);
  return b.subarray(0, nul < 0 ? b.length : nul).toString('utf8');
}
