// The layers in front of the worker (docs/timeout-chain.md): requests a proxy or an edge layer
// cut before the worker's own timeout (a failure, with advice that changes the layer that cut),
// and the work those cuts orphaned — the worker went on after the client had its 504, so a
// retry runs it twice. Advice never raises the worker timeout alone when a layer in front cuts
// first: that changes nothing the client sees.
import { EDGE_PROFILES, type EdgeProfile, edgeProfiles } from '../edge/profiles.js';
import type { AccessEntry } from '../observe/access-log.js';
import type { ChainLayer, FlaggedRequest, ServerEvent } from '../result/types.js';
import { formatDuration } from '../units/index.js';
import { clock, plural, requestLabel } from './format.js';
import type { JudgeInput, Rule } from './types.js';
import { suggestedTimeoutS } from './worker-time.js';

const EXAMPLES = 3;
/** An access line this long after the cut was written by work that went on after it. */
const AFTER_CUT_MS = 1_000;

/** The chain's layers in front of the worker that have a limit. */
function frontLayers(input: JudgeInput): ChainLayer[] {
  return (input.chain?.chain ?? []).filter((l) => l.layer !== 'server' && l.timeoutS > 0);
}

function cutInFront(input: JudgeInput): FlaggedRequest[] {
  return input.flagged.filter(
    (f) => f.level === 'killed' && (f.deadline?.layer === 'proxy' || f.deadline?.layer === 'edge'),
  );
}

function layerOf(input: JudgeInput, f: FlaggedRequest): ChainLayer | undefined {
  return input.chain?.chain.find((l) => l.layer === f.deadline?.layer);
}

/** The emulated managed layer this is, when it is one. */
function edgeProfileOf(layer: ChainLayer): EdgeProfile | undefined {
  return layer.layer === 'edge' && (EDGE_PROFILES as readonly string[]).includes(layer.kind)
    ? edgeProfiles[layer.kind as EdgeProfile['name']]
    : undefined;
}

/** The layer's own name for its limit: nginx's directive, an edge profile's setting. */
function settingOf(layer: ChainLayer): string {
  if (layer.kind === 'nginx') return layer.rule.split(':')[0] ?? 'limit';
  return edgeProfileOf(layer)?.setting ?? 'timeout';
}

/** `nginx's proxy_read_timeout (60 s, nginx default)`. */
function limitWords(layer: ChainLayer, timeoutS = layer.timeoutS): string {
  const setting = settingOf(layer);
  const from = layer.detectedFrom
    ?.find((d) => d.includes(setting))
    ?.replace(/^[^(]*\(/, '')
    .replace(/\)$/, '');
  return `${layer.kind}'s ${setting} (${timeoutS} s${from ? `, ${from}` : ''})`;
}

export const requestsCutInFront: Rule = (input, evidence) => {
  const cut = cutInFront(input);
  if (cut.length === 0) return {};
  const layer = layerOf(input, cut[0]!)!;
  const lines = cut.slice(0, EXAMPLES).map((f) => {
    const answer =
      f.status !== undefined ? `HTTP ${f.status}` : `no response${f.error ? ` (${f.error})` : ''}`;
    const event = f.serverEvent
      ? `; ${f.serverEvent.source && f.serverEvent.source !== 'edge' ? f.serverEvent.source : layer.kind} logged \`${f.serverEvent.line}\` at ${clock(f.serverEvent.at)}`
      : '';
    return `${requestLabel(f)} got ${answer} after ${formatDuration(f.latencyMs)}${event}.`;
  });
  const worker = input.chain?.chain.find((l) => l.layer === 'server');
  const before =
    worker && worker.timeoutS > 0 ? `, before ${worker.kind}'s ${worker.timeoutS} s timeout` : '';
  return {
    findings: [
      {
        severity: 'fail',
        code: 'cut-in-front',
        title: `${plural(cut.length, 'request')} cut by ${layer.kind} (${layer.layer}) at ${cut[0]!.deadline!.timeoutS} s${before}`,
        detail: lines.join(' '),
        advice: chainAdvice(input, evidence.slowest?.ms ?? Math.max(...cut.map((f) => f.latencyMs)), cut[0]!),
      },
    ],
  };
};

/**
 * What to change along the chain: the layer that cut (to what), with the worker's timeout kept
 * above it, or the work moved out of the request. Raising the worker timeout alone is never it.
 */
export function chainAdvice(input: JudgeInput, slowestMs: number, cut: FlaggedRequest): string {
  const layer = layerOf(input, cut)!;
  const worker = input.chain?.chain.find((l) => l.layer === 'server');
  const limitS = cut.deadline!.timeoutS;
  const need = suggestedTimeoutS(Math.max(slowestMs, limitS * 1000));
  const location = layer.locations?.length ? ` for the location ${cut.path.split('?')[0]} falls in` : '';
  const workerPart =
    worker && worker.timeoutS > 0
      ? worker.timeoutS >= limitS
        ? ` Raising ${worker.kind}'s timeout (${worker.timeoutS} s) alone changes nothing the client sees: ${layer.kind} cuts first.`
        : ` ${worker.kind}'s own timeout (${worker.timeoutS} s) is lower still: raise it with ${layer.kind}'s, or the worker is killed next.`
      : '';
  const profile = edgeProfileOf(layer);
  // A managed layer whose limit no customer can change leaves one fix: the work leaves the request.
  const fixed = profile?.adjustable.startsWith('nothing')
    ? profile.adjustable.replace(/^nothing: /, '')
    : undefined;
  const stopgap =
    fixed !== undefined
      ? `There is no stopgap: ${fixed}, so no setting lets this request wait longer.`
      : `As a stopgap, raise ${layer.kind === 'nginx' ? settingOf(layer) : `its ${settingOf(layer)}`}${profile ? ` (${profile.adjustable})` : location} to at least ${need} s${worker && worker.timeoutS > 0 ? ` and keep ${worker.kind}'s timeout above it` : ''}; every layer in front must allow it too.`;
  return (
    `${limitWords(layer, limitS)} cut the request: the work took longer than that (at least ${formatDuration(slowestMs)}).${workerPart} ` +
    `Best: move the work out of the request (a background job the request starts, answering 202 Accepted with a job id the client polls), so no layer waits on it. ` +
    stopgap
  );
}

/**
 * The worker went on after a layer in front cut the request: its access line came after the cut,
 * or (gunicorn writes none for a response it could not send) the app kept calling its mocks after
 * the traffic had ended, when no request of ours was waiting for anything.
 */
export const orphanedWork: Rule = (input) => {
  const cut = cutInFront(input);
  if (cut.length === 0) return {};
  const entries: readonly AccessEntry[] = input.accessEntries ?? [];
  const used = new Set<AccessEntry>();
  const orphans: { f: FlaggedRequest; afterMs: number; words: string }[] = [];
  for (const f of cut) {
    const cutAt = Date.parse(f.at) + f.latencyMs;
    const entry = entries.find(
      (e) =>
        !used.has(e) &&
        e.method === f.method &&
        e.path.split('?')[0] === f.path.split('?')[0] &&
        e.at > cutAt + AFTER_CUT_MS &&
        // The line's request started about when the client's did.
        Math.abs(e.at - e.workerMs - Date.parse(f.at)) <= f.latencyMs,
    );
    if (!entry) continue;
    used.add(entry);
    orphans.push({
      f,
      afterMs: entry.at - cutAt,
      words: `the worker finished ${formatDuration(entry.at - cutAt)} later (its access line: status ${entry.status}, ${formatDuration(entry.workerMs)} in the worker)`,
    });
  }
  const lastCut = Math.max(...cut.map((f) => Date.parse(f.at) + f.latencyMs));
  const after = Math.max(lastCut + AFTER_CUT_MS, input.trafficFinishedAt ?? Number.POSITIVE_INFINITY);
  const late = (input.mockCalls ?? []).filter((c) => c.startedAt > after);
  if (orphans.length === 0 && late.length > 0) {
    const f = cut.find((x) => Date.parse(x.at) + x.latencyMs === lastCut)!;
    const last = Math.max(...late.map((c) => c.startedAt));
    const mocks = [...new Set(late.map((c) => c.mock))].join(', ');
    orphans.push({
      f,
      afterMs: last - lastCut,
      words: `the app went on calling ${mocks} ${plural(late.length, 'time')} after the traffic had ended, the last call ${formatDuration(last - lastCut)} after the cut (no access line: the server could not send its answer)`,
    });
  }
  if (orphans.length === 0) return {};
  const killed = killsOfOrphans(input);
  const ending =
    killed.length > 0
      ? ` Then ${input.server.kind} killed it at its own ${input.server.timeoutS} s timeout (\`${killed[0]!.line}\` at ${clock(killed[0]!.at)}): the work never finished, whatever it wrote stays half done.`
      : '';
  const longest = [...orphans].sort((a, b) => b.afterMs - a.afterMs)[0]!;
  const layer = layerOf(input, longest.f);
  const examples = orphans
    .slice(0, EXAMPLES)
    .map(
      (o) =>
        `${requestLabel(o.f)}: the client had its ${o.f.status ?? 'error'} after ${formatDuration(o.f.latencyMs)}; ${o.words}.`,
    );
  return {
    findings: [
      {
        severity: 'warn',
        code: 'orphaned-work',
        title: `Work went on in the worker after ${layer?.kind ?? 'the proxy'} cut ${plural(cut.length, 'request')} (at least ${formatDuration(longest.afterMs)} more)`,
        detail:
          `${examples.join(' ')}${ending} The work went on with no one waiting for its answer: its database writes happened, ` +
          `but the client saw a failure. A client or user that retries runs it twice (an import imports twice, a payment may charge twice).`,
        advice:
          'Make the work idempotent (a request id the server remembers) and move it out of the request; until then, raise the limit of the layer that cut it so the client waits for the answer.',
      },
    ],
  };
};

/**
 * Worker timeouts that killed work a layer in front had already cut: after the cut, and by the
 * cut request's start plus T (and the second the kill takes). No request of ours was waiting.
 */
export function killsOfOrphans(input: JudgeInput): ServerEvent[] {
  const t = input.chain?.chain.find((l) => l.layer === 'server')?.timeoutS ?? 0;
  if (!(t > 0)) return [];
  const cut = cutInFront(input);
  return input.serverEvents.filter((e) => {
    if (e.kind !== 'worker-timeout') return false;
    const at = Date.parse(e.at);
    return cut.some((f) => at >= Date.parse(f.at) + f.latencyMs && at <= Date.parse(f.at) + t * 1000 + 3_000);
  });
}

/** When the suggested worker timeout would pass a layer in front, say that layer must follow. */
export function frontCap(input: JudgeInput, suggestedS: number): string {
  const front = frontLayers(input).sort((a, b) => a.timeoutS - b.timeoutS)[0];
  if (!front || front.timeoutS >= suggestedS) return '';
  return ` ${limitWords(front)} is below that: raise it too, or ${front.kind} cuts the request at ${front.timeoutS} s whatever the worker allows.`;
}
