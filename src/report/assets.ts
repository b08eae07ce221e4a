// Where the report's templates and inlined assets live, loaded once per process.
// Templates ship as files (package.json "files" has src/report/templates) and are found from
// the TypeScript source (vitest: src/report/), from the build (dist/report/ → ../../src/...) and
// from the benchmarks' build (dist-bench/src/report/ → ../../../src/...).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { InfraError } from '../errors.js';

const CANDIDATES = ['./templates/', '../../src/report/templates/', '../../../src/report/templates/'];

export function templateDir(): string {
  for (const candidate of CANDIDATES) {
    const dir = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(`${dir}report.ejs`)) return dir;
  }
  throw new InfraError('INFRA', `report templates not found next to ${fileURLToPath(import.meta.url)}`, {
    fix: 'reinstall smokestack: its package must include src/report/templates',
  });
}

export interface ReportAssets {
  css: string;
  clientJs: string;
  uplotJs: string;
  uplotCss: string;
}

let cached: Promise<ReportAssets> | undefined;

/**
 * Charts: uPlot, inlined. Chosen because it is small (~50 KB minified, no dependencies), draws
 * 100k points on canvas in milliseconds, has drag-to-zoom and a cursor legend built in, and is
 * MIT licensed; Vega-Lite would be ~800 KB inline and a chart engine of our own is not ours to keep.
 */
export function loadAssets(): Promise<ReportAssets> {
  cached ??= (async () => {
    const dir = templateDir();
    const require = createRequire(import.meta.url);
    const uplotDir = fileURLToPath(new URL('.', `file://${require.resolve('uplot/dist/uPlot.iife.min.js')}`));
    const [css, clientJs, uplotJs, uplotCss] = await Promise.all([
      readFile(`${dir}report.css`, 'utf8'),
      readFile(`${dir}report-client.js`, 'utf8'),
      readFile(`${uplotDir}uPlot.iife.min.js`, 'utf8'),
      readFile(`${uplotDir}uPlot.min.css`, 'utf8'),
    ]);
    return {
      css: inlineSafe(css, 'style'),
      clientJs: inlineSafe(clientJs, 'script'),
      uplotJs: inlineSafe(uplotJs, 'script'),
      uplotCss: inlineSafe(uplotCss, 'style'),
    };
  })();
  return cached;
}

/** Raw text inside <script>/<style> ends at the first `</script`/`</style`: never let one through. */
function inlineSafe(text: string, tag: 'script' | 'style'): string {
  return text.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1');
}
