// The whole configuration nginx runs with: its main file with every `include` replaced by the
// included files' directives, in place, as nginx does while it reads. A relative include is
// relative to the main file's folder (nginx's conf prefix, /etc/nginx on Debian); a glob
// (`conf.d/*.conf`, `sites-enabled/*`) takes the matching files in alphabetical order and may
// match none; a plain name that is missing is an error nginx itself would refuse to start with.
import path from 'node:path';
import { type Directive, parseNginx } from './parse.js';

/** Absolute path → text of every file copied out of the image (symlinks already followed). */
export type ConfigFiles = ReadonlyMap<string, string>;

export const DEBIAN_MAIN_FILE = '/etc/nginx/nginx.conf';

export interface LoadedConfig {
  directives: Directive[];
  /** Every file read, in the order nginx reads them. */
  files: string[];
  /** Includes that named a file that is not there. */
  missing: { file: string; line: number; include: string }[];
}

export function loadNginxConfig(files: ConfigFiles, main = DEBIAN_MAIN_FILE): LoadedConfig {
  const prefix = path.posix.dirname(main);
  const read: string[] = [];
  const missing: LoadedConfig['missing'] = [];
  const expand = (file: string, depth: number): Directive[] => {
    const text = files.get(file);
    if (text === undefined) return [];
    read.push(file);
    return expandList(parseNginx(text, file), depth);
  };
  const expandList = (list: Directive[], depth: number): Directive[] =>
    list.flatMap((d) => {
      if (d.name === 'include' && d.args.length === 1) {
        // nginx refuses deeper nesting too; this also stops an include loop.
        if (depth > 10) return [];
        const pattern = path.posix.resolve(prefix, d.args[0]!);
        const matched = matchFiles(files, pattern);
        if (matched.length === 0 && !/[*?[]/.test(pattern))
          missing.push({ file: d.file, line: d.line, include: d.args[0]! });
        return matched.flatMap((f) => expand(f, depth + 1));
      }
      return d.block ? [{ ...d, block: expandList(d.block, depth) }] : [d];
    });
  if (!files.has(main)) missing.push({ file: main, line: 0, include: main });
  return { directives: expand(main, 0), files: read, missing };
}

/** The files a glob names (`*`, `?`, `[...]` within one path segment), sorted as glob(3) sorts them. */
export function matchFiles(files: ConfigFiles, pattern: string): string[] {
  if (!/[*?[]/.test(pattern)) return files.has(pattern) ? [pattern] : [];
  const source = pattern
    .split('')
    .map((c) =>
      c === '*'
        ? '[^/]*'
        : c === '?'
          ? '[^/]'
          : c === '[' || c === ']'
            ? c
            : c.replace(/[.+^${}()|\\]/g, '\\$&'),
    )
    .join('');
  const re = new RegExp(`^${source}$`);
  return [...files.keys()]
    .filter((f) => re.test(f) && !path.posix.basename(f).startsWith('.'))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
