// Writes one run's report files: <outRoot>/<runId>/{index.html,result.json,junit.xml,summary.md},
// each atomically, into a directory no earlier run owns (a taken name gets a -2, -3... suffix),
// then switches <outRoot>/latest to it (a symlink replaced by one rename, so latest/ never mixes
// two runs or has a missing or half-written file). With `dir`, re-renders into that directory and leaves latest/.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import createDebug from 'debug';
import { UsageError } from '../errors.js';
import { redactResult } from '../redact/result.js';
import type { RunResult } from '../result/types.js';
import { writeFileAtomic } from './atomic-write.js';
import { type Comparison, compareResults } from './compare.js';
import { renderJunit } from './junit.js';
import { renderHtml } from './render-html.js';
import { renderSummaryMd } from './summary-md.js';

const debug = createDebug('smokestack:report');

export interface WriteReportsOptions {
  /** Root of the reports tree (default `reports`). */
  outRoot?: string;
  /** Re-render into exactly this directory (`smokestack report --out`); latest/ is left alone. */
  dir?: string;
  /** Compare against this earlier result and put the comparison into every report. */
  baseline?: RunResult;
  /** Masks the run's secret values (src/redact): without it only secret shapes are masked. */
  mask?: (text: string) => string;
}

export interface WrittenReports {
  dir: string;
  files: string[];
  /** False when latest/ already held a newer run (or `dir` was given). */
  latestUpdated: boolean;
  /** With a baseline: the comparison written into every report (for the terminal summary too). */
  comparison?: Comparison;
}

export const REPORT_FILES = ['result.json', 'junit.xml', 'summary.md', 'index.html'] as const;
const MAX_SUFFIX = 1_000;

export async function writeReports(
  result: RunResult,
  options: WriteReportsOptions = {},
): Promise<WrittenReports> {
  const safe = redactResult(result, options.mask);
  const comparison = options.baseline
    ? compareResults(redactResult(options.baseline, options.mask), safe)
    : undefined;
  if (comparison) safe.comparison = comparison;
  const contents: Record<(typeof REPORT_FILES)[number], string> = {
    'result.json': `${JSON.stringify(safe, null, 2)}\n`,
    'junit.xml': renderJunit(safe),
    'summary.md': renderSummaryMd(safe),
    'index.html': await renderHtml(safe),
  };

  const outRoot = options.outRoot ?? 'reports';
  const dir = options.dir ?? (await claimRunDir(outRoot, safe.runId));
  if (options.dir) await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (const name of REPORT_FILES) {
    const file = path.join(dir, name);
    await writeFileAtomic(file, contents[name]);
    files.push(file);
  }
  debug('wrote %s', dir);
  const latestUpdated = options.dir ? false : await updateLatest(outRoot, safe, dir, contents);
  return { dir, files, latestUpdated, ...(comparison ? { comparison } : {}) };
}

/** A new directory for this run: mkdir without `recursive` fails if it exists, so no run is overwritten. */
async function claimRunDir(outRoot: string, runId: string): Promise<string> {
  await mkdir(outRoot, { recursive: true });
  const base = safeDirName(runId);
  for (let i = 1; i <= MAX_SUFFIX; i++) {
    const dir = path.join(outRoot, i === 1 ? base : `${base}-${i}`);
    try {
      await mkdir(dir);
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new UsageError(`${outRoot}: ${MAX_SUFFIX} report directories already named ${base}`, {
    fix: 'clean up the reports directory or choose another with --out',
  });
}

/** Run ids become directory names: nothing that could climb out of outRoot or shadow latest/. */
function safeDirName(runId: string): string {
  const name = runId.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^\.+/, '');
  return name === '' || name === 'latest' ? `run-${name || 'unnamed'}` : name;
}

/**
 * latest/ becomes a symlink to this run's directory, switched by one rename: a reader never sees
 * a mix of two runs' files, even when runs finish together. A latest/ directory written by an older
 * version is moved aside first. Where symlinks are not allowed (Windows without the privilege), the
 * files are copied one by one as before.
 */
async function updateLatest(
  outRoot: string,
  result: RunResult,
  runDir: string,
  contents: Record<(typeof REPORT_FILES)[number], string>,
): Promise<boolean> {
  const latest = path.join(outRoot, 'latest');
  const current = await readStartedAt(path.join(latest, 'result.json'));
  if (current !== undefined && current > Date.parse(result.startedAt)) {
    debug('latest/ holds a newer run; left as is');
    return false;
  }
  const tmp = path.join(outRoot, `.latest-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await symlink(path.basename(runDir), tmp, 'dir');
  } catch (error) {
    debug('no symlink for latest/ (%s): copying', (error as NodeJS.ErrnoException).code);
    await mkdir(latest, { recursive: true });
    for (const name of REPORT_FILES) await writeFileAtomic(path.join(latest, name), contents[name]);
    return true;
  }
  try {
    await rename(tmp, latest);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'EPERM') throw error;
    // latest/ is a real directory (an older smokestack): move it aside, switch, then remove it.
    const aside = `${tmp}-old`;
    await rename(latest, aside);
    await rename(tmp, latest);
    await rm(aside, { recursive: true, force: true });
  } finally {
    await rm(tmp, { force: true }).catch(() => {});
  }
  return true;
}

async function readStartedAt(file: string): Promise<number | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as { startedAt?: unknown };
    const t = typeof parsed.startedAt === 'string' ? Date.parse(parsed.startedAt) : Number.NaN;
    return Number.isFinite(t) ? t : undefined;
  } catch {
    return undefined;
  }
}
