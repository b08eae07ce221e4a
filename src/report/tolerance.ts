// `--tolerance latency=10%,errors=0.5,flagged=0,workerTimeouts=0[,latencyMin=5ms]` → Tolerances.
import { UsageError } from '../errors.js';
import { parseDuration } from '../units/index.js';
import { DEFAULT_TOLERANCES, type Tolerances } from './compare.js';

const FIX = 'e.g. --tolerance latency=10%,errors=0.5,flagged=0,workerTimeouts=0';

export function parseTolerance(spec: string | undefined): Tolerances {
  const tol: Tolerances = { ...DEFAULT_TOLERANCES };
  if (!spec?.trim()) return tol;
  for (const part of spec.split(',')) {
    const [rawKey, rawValue, extra] = part.split('=').map((s) => s.trim());
    if (!rawKey || rawValue === undefined || rawValue === '' || extra !== undefined)
      throw new UsageError(`--tolerance: "${part}" is not key=value`, { fix: FIX });
    switch (rawKey) {
      case 'latency':
        tol.latencyPct = number(rawKey, rawValue.replace(/%$/, ''));
        break;
      case 'errors':
      case 'errorRate':
        tol.errorRatePts = number(rawKey, rawValue.replace(/%$/, ''));
        break;
      case 'flagged':
        tol.flagged = number(rawKey, rawValue);
        break;
      case 'workerTimeouts':
        tol.workerTimeouts = number(rawKey, rawValue);
        break;
      case 'latencyMin':
        tol.latencyMinMs = /^\d+(\.\d+)?$/.test(rawValue) ? Number(rawValue) : duration(rawValue);
        break;
      default:
        throw new UsageError(
          `--tolerance: unknown key "${rawKey}" (known: latency, errors, flagged, workerTimeouts, latencyMin)`,
          { fix: FIX },
        );
    }
  }
  return tol;
}

function number(key: string, text: string): number {
  const n = Number(text);
  if (text === '' || !Number.isFinite(n) || n < 0)
    throw new UsageError(`--tolerance: ${key} must be a number >= 0, got "${text}"`, { fix: FIX });
  return n;
}

function duration(text: string): number {
  try {
    return parseDuration(text);
  } catch {
    throw new UsageError(`--tolerance: latencyMin must be a duration like 5ms, got "${text}"`, { fix: FIX });
  }
}
