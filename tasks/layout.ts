// Observation layouts declared as data: named, described slices checked against the observation size.

export interface LayoutEntry {
  name: string;
  size: number;
  description: string;
  /** Unit of the values, e.g. 'm', 'rad', 'm/s'. */
  unit: string;
}

export type ObsLayout = LayoutEntry[];

export interface LayoutSlice extends LayoutEntry {
  start: number;
  end: number;
}

/** Start and end index of every entry. */
export function layoutSlices(layout: ObsLayout): LayoutSlice[] {
  let start = 0;
  return layout.map((e) => {
    const slice = { ...e, start, end: start + e.size };
    start += e.size;
    return slice;
  });
}

export function layoutSize(layout: ObsLayout): number {
  return layout.reduce((n, e) => n + e.size, 0);
}

/** Throws unless the layout covers exactly `size` values with unique names. */
export function checkLayout(layout: ObsLayout, size: number, what: string): void {
  const total = layoutSize(layout);
  if (total !== size) throw new Error(`${what}: observation layout covers ${total} values but the observation has ${size}`);
  const names = new Set<string>();
  for (const e of layout) {
    if (names.has(e.name)) throw new Error(`${what}: observation layout names '${e.name}' twice`);
    names.add(e.name);
  }
}

/** The slice named `name`; an unknown name throws, listing the entries there are. */
export function sliceOf(layout: ObsLayout, name: string): LayoutSlice {
  const slice = layoutSlices(layout).find((s) => s.name === name);
  if (!slice) throw new Error(`no observation entry '${name}' (have ${layout.map((e) => e.name).join(', ')})`);
  return slice;
}

/**
 * Observation indices of the named entries, in the order given. `name[k]` picks the entry's k-th
 * value alone (0-based), e.g. `root_velocity[2]`; an index outside the entry throws, naming it.
 */
export function entryIndices(layout: ObsLayout, names: readonly string[]): number[] {
  return names.flatMap((name) => {
    const pick = /^(.+)\[(\d+)\]$/.exec(name);
    const s = sliceOf(layout, pick ? pick[1]! : name);
    if (!pick) return Array.from({ length: s.size }, (_, k) => s.start + k);
    const k = Number(pick[2]);
    if (k >= s.size) throw new Error(`observation entry '${name}': '${s.name}' has ${s.size} value${s.size === 1 ? '' : 's'} (indices 0–${s.size - 1})`);
    return [s.start + k];
  });
}
