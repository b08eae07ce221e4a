// `extends: ./smoke.yaml` — a scenario that starts from another one. The chain is read (the
// extending file first), then merged base-up: mappings merge key by key, everything else (lists
// included) is replaced whole, so `load:` in the extending file is the whole load, never the base's
// phases plus its own. Every field keeps the file it came from, so a problem names that file and line.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ScenarioError, type ScenarioProblem } from '../errors.js';
import { type FieldPath, MAX_SCENARIO_BYTES, type ReadDocument, readDocument } from './read-document.js';

/** Where a field was written: the file (the scenario or a base it extends) and its line. */
export interface FieldPlace {
  file: string;
  line?: number;
}

export interface ScenarioSource {
  /** The merged data, without `extends`. */
  data: Record<string, unknown>;
  placeOf(path: FieldPath): FieldPlace;
  /** The chain, the scenario itself first. */
  files: string[];
}

interface Link {
  file: string;
  doc: ReadDocument;
}

/** Reads `text` (the scenario in `file`) and every base it extends, merged. */
export function readSource(text: string, file: string): ScenarioSource {
  const chain: Link[] = [{ file, doc: readDocument(text, file) }];
  const problems: ScenarioProblem[] = [];
  for (;;) {
    const { file: from, doc } = chain[chain.length - 1]!;
    if (typeof doc.data.name !== 'string' && (chain.length > 1 || doc.data.extends !== undefined))
      problems.push({
        file: from,
        path: 'name',
        message: 'missing: every scenario in an extends chain has its own name',
        line: doc.lineOf([]),
      });
    const ref = doc.data.extends;
    if (ref === undefined) break;
    const at = { file: from, path: 'extends', line: doc.lineOf(['extends']) };
    if (typeof ref !== 'string' || ref.trim() === '') {
      problems.push({ ...at, message: 'expected the path of another scenario file, like ./smoke.yaml' });
      break;
    }
    const base = path.join(path.dirname(from), ref);
    const seen = chain.findIndex((l) => path.resolve(l.file) === path.resolve(base));
    if (seen >= 0) {
      const loop = [...chain.slice(seen).map((l) => l.file), base].join(' → ');
      problems.push({ ...at, message: `extends goes round in a circle (${loop}); remove one of them` });
      break;
    }
    const read = readBase(base, at);
    if ('problems' in read) {
      problems.push(...read.problems);
      break;
    }
    chain.push({ file: base, doc: read.doc });
  }
  if (problems.length > 0) throw new ScenarioError(file, problems);

  let data: Record<string, unknown> = {};
  for (const link of [...chain].reverse()) {
    const own = rebaseFiles(link.doc.data, path.dirname(link.file), path.dirname(file));
    data = merge(data, own) as Record<string, unknown>;
  }
  delete data.extends;
  return { data, placeOf: (p) => placeOf(chain, p), files: chain.map((l) => l.file) };
}

function readBase(
  file: string,
  at: Omit<ScenarioProblem, 'message'>,
): { doc: ReadDocument } | { problems: ScenarioProblem[] } {
  let text: string;
  try {
    if (statSync(file).size > MAX_SCENARIO_BYTES)
      return { problems: [{ ...at, message: `${file} is larger than 1 MB; is it a scenario?` }] };
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory' : 'cannot be read';
    return {
      problems: [{ ...at, message: `${file} ${why} (the path is relative to the extending file)` }],
    };
  }
  try {
    return { doc: readDocument(text, file) };
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    return { problems: error.problems.map((p) => ({ ...p, file: p.file ?? file })) };
  }
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Mappings merge key by key; lists and values are replaced whole; `null` over a base's field
 * removes it (`postgres: null` when the extending file's compose stack has its own).
 */
export function merge(base: unknown, over: unknown): unknown {
  if (!isMapping(base) || !isMapping(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === null && k in base) delete out[k];
    else out[k] = k in base ? merge(base[k], v) : v;
  }
  return out;
}

/**
 * Paths in a base are relative to the base; the merged scenario is read relative to the
 * extending file. The fields that name local files are rewritten so they still point at the same file.
 */
function rebaseFiles(data: Record<string, unknown>, fromDir: string, toDir: string): Record<string, unknown> {
  if (path.resolve(fromDir) === path.resolve(toDir)) return data;
  const move = (p: unknown) =>
    typeof p === 'string' && !path.isAbsolute(p) ? `./${path.relative(toDir, path.join(fromDir, p))}` : p;
  const out = structuredClone(data);
  if (isMapping(out.mocks))
    for (const m of Object.values(out.mocks)) if (isMapping(m) && 'module' in m) m.module = move(m.module);
  if (isMapping(out.stack) && 'compose' in out.stack) out.stack.compose = move(out.stack.compose);
  const proxy = isMapping(out.stack) ? out.stack.proxy : undefined;
  if (isMapping(proxy) && isMapping(proxy.files))
    for (const k of Object.keys(proxy.files)) proxy.files[k] = move(proxy.files[k]);
  return out;
}

/**
 * The file a field came from: walking the path, a mapping's key may come from any file of the
 * chain (the extending one wins); below a list or a value, the file that wrote it owns it all.
 */
function placeOf(chain: Link[], fieldPath: FieldPath): FieldPlace {
  let owners = chain;
  for (let i = 1; i <= fieldPath.length; i++) {
    const prefix = fieldPath.slice(0, i);
    const having = owners.filter((l) => valueAt(l.doc.data, prefix) !== undefined);
    if (having.length === 0) break;
    owners = isMapping(valueAt(having[0]!.doc.data, prefix)) ? having : [having[0]!];
  }
  const owner = owners[0]!;
  return { file: owner.file, line: owner.doc.lineOf(fieldPath) };
}

function valueAt(data: unknown, fieldPath: FieldPath): unknown {
  let v = data;
  for (const seg of fieldPath) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}
