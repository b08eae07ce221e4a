// Seeded randomness for mocks: a small fast generator (mulberry32) and a hash that derives an
// independent stream from (seed, stream, index). Each call of a mock draws from its own stream,
// so call number N gets the same latency and fault whatever else runs concurrently.
import { mulberry32 } from '../util/seeded-random.js';

/** 32-bit integer hash (murmur3's finaliser): neighbouring inputs give unrelated outputs. */
export function hash32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Mixes several integers into one 32-bit seed. */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    // Fold in values above 32 bits too (indexes and seeds may be large).
    h = hash32(h ^ hash32(p >>> 0) ^ Math.imul(hash32(Math.floor(p / 0x1_0000_0000)), 0x27d4eb2f));
  }
  return h;
}

/** The stream for one purpose (`stream`) and one item (`index`) under a seed. */
export function streamFor(seed: number, stream: number, index: number): () => number {
  return mulberry32(mixSeed(seed, stream, index));
}

/** Stream numbers, so different purposes never share draws. */
export const STREAM = { call: 1, sample: 2, dataset: 3, movie: 4 } as const;
