// The budget bar's labels are laid out in the view model: centred on their mark unless that
// crosses an end of the bar, and put in a further row under the bar when they would meet.
import { describe, expect, it } from 'vitest';
import { anchorFor, layOut } from '../../../src/report/gauge-labels.js';

describe('budget bar labels', () => {
  it('marks spread along the bar share one row', () => {
    const labels = layOut([
      { text: 'warn 5 s', pos: 8 },
      { text: 'critical 8 s', pos: 50 },
      { text: 'T 10 s', pos: 97 },
    ]);
    expect(labels.map((l) => l.row)).toEqual([0, 0, 0]);
    expect(labels.map((l) => l.anchor)).toEqual(['start', 'middle', 'end']);
  });

  it('marks crowded together (the slowest far above T) each get a row of their own, in the order given', () => {
    // Scale 2 × T: warn 25%, critical 40%, T 50%.
    const labels = layOut([
      { text: 'warn 50% · 15 s', pos: 25 },
      { text: 'critical 80% · 24 s', pos: 40 },
      { text: 'T 30 s', pos: 50 },
    ]);
    expect(labels.map((l) => [l.text.split(' ')[0], l.row])).toEqual([
      ['warn', 0],
      ['critical', 1],
      ['T', 2],
    ]);
  });

  it('a later mark goes back to the first row once it clears the labels there', () => {
    // The default scale (1.2 × T): warn 41.7%, critical 66.7%, T 83.3%.
    const labels = layOut([
      { text: 'warn 50% · 15 s', pos: 41.7 },
      { text: 'critical 80% · 24 s', pos: 66.7 },
      { text: 'T 30 s', pos: 83.3 },
    ]);
    expect(labels.map((l) => l.row)).toEqual([0, 1, 0]);
  });

  it('the slowest label at the end of the bar (off the scale) ends at its mark', () => {
    expect(anchorFor('→ slowest 500%', 100)).toBe('end');
    expect(anchorFor('slowest 97%', 80.8)).toBe('middle');
    expect(anchorFor('slowest 3%', 2.5)).toBe('start');
  });
});
