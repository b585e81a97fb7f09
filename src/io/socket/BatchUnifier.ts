import { Batch, type Column, type StringDictionary } from '../../core/index.js';

/**
 * Makes batches from several inputs (socket connections, reconnects) look like one stream:
 * rowIds renumbered consecutively, and category codes mapped into one dictionary per column
 * name, so codes stay stable whichever connection a row came from. The first input's dictionary
 * becomes the shared one, so a single connection costs no remapping.
 */
export class BatchUnifier {
  private nextId: number;
  private readonly shared = new Map<string, StringDictionary>();
  private readonly maps = new WeakMap<StringDictionary, number[]>();

  constructor(firstRowId = 0) {
    this.nextId = firstRowId;
  }

  unify(b: Batch): Batch {
    let changed = false;
    const cols = b.columns.map((c, k) => {
      if (c.type !== 'category') return c;
      const r = this.remap(b.schema.fields[k]!.name, c);
      if (r !== c) changed = true;
      return r;
    });
    const out = new Batch(b.schema, changed ? cols : b.columns, b.length, Batch.sequence(this.nextId, b.length), b.lines);
    this.nextId += b.length;
    out.ticket = b.ticket;
    return out;
  }

  private remap(name: string, c: Extract<Column, { type: 'category' }>): Column {
    const target = this.shared.get(name);
    if (!target) {
      this.shared.set(name, c.dictionary);
      return c;
    }
    if (target === c.dictionary) return c;
    let map = this.maps.get(c.dictionary);
    if (!map) {
      map = [];
      this.maps.set(c.dictionary, map);
    }
    // The source dictionary only grows: extend the mapping for codes seen since last time.
    for (let j = map.length; j < c.dictionary.size; j++) map.push(target.code(c.dictionary.get(j)));
    const codes = new Int32Array(c.codes.length);
    for (let i = 0; i < codes.length; i++) {
      const x = c.codes[i]!;
      codes[i] = x < 0 ? -1 : map[x]!;
    }
    return { type: 'category', codes, dictionary: target, validity: c.validity };
  }
}
