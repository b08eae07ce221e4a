// Where the timeout budget bar's labels go (warn, critical, T under the bar; the slowest request
// above it) so that none overlaps another or leaves the bar, however far past T the slowest ran.
// Laid out here, not in the browser: the report reads the same without JavaScript. Each label is
// centred on its mark unless that would cross an end of the bar (then it starts or ends at the
// mark), and the marks under the bar take the first row where they meet no other label. Widths
// are estimated for the narrowest bar the page gives (a phone); a wider bar only spreads marks
// further apart, while the labels keep their size, so what fits there fits everywhere.

/** The narrowest bar, in px, the rows are computed for (a 360 px wide phone). */
export const NARROWEST_BAR_PX = 260;
/** Above the widest character average of the 11 px labels Chromium draws (5.9 px), in px. */
const CHAR_PX = 6.2;
/** Room kept between two labels of a row, in px. */
const GAP_PX = 8;

export type Anchor = 'start' | 'middle' | 'end';

export interface GaugeLabel {
  text: string;
  /** Position of its mark on the bar, 0..100 (%). */
  pos: number;
  anchor: Anchor;
  /** 0: the first row under the bar. */
  row: number;
}

/** The anchor that keeps a label of this text inside the bar, at the narrowest bar. */
export function anchorFor(text: string, pos: number): Anchor {
  const half = widthOf(text) / 2;
  const at = (pos / 100) * NARROWEST_BAR_PX;
  if (at - half < 0) return 'start';
  if (at + half > NARROWEST_BAR_PX) return 'end';
  return 'middle';
}

/** Marks under the bar, in rows: each in the first row where it overlaps no label already there. */
export function layOut(marks: { text: string; pos: number }[]): GaugeLabel[] {
  const rows: { left: number; right: number }[][] = [];
  const placed = [...marks]
    .map((m, i) => ({ ...m, i }))
    .sort((a, b) => a.pos - b.pos)
    .map((m) => {
      const anchor = anchorFor(m.text, m.pos);
      const extent = extentOf(m.text, m.pos, anchor);
      let row = rows.findIndex((r) =>
        r.every((o) => extent.right + GAP_PX <= o.left || o.right + GAP_PX <= extent.left),
      );
      if (row < 0) row = rows.push([]) - 1;
      rows[row]!.push(extent);
      return { text: m.text, pos: m.pos, anchor, row, i: m.i };
    });
  return placed.sort((a, b) => a.i - b.i).map(({ i: _i, ...label }) => label);
}

function widthOf(text: string): number {
  return [...text].length * CHAR_PX;
}

function extentOf(text: string, pos: number, anchor: Anchor): { left: number; right: number } {
  const at = (pos / 100) * NARROWEST_BAR_PX;
  const w = widthOf(text);
  const left = anchor === 'start' ? at : anchor === 'end' ? at - w : at - w / 2;
  return { left, right: left + w };
}
