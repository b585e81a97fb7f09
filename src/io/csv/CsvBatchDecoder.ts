import { Batch, type Column, Schema, StringDictionary } from '../../core/index.js';
import type { WireBatch, WireDictionary } from './CsvBatchEncoder.js';

/**
 * Rebuilds the batches CsvBatchEncoder sent from the parse thread. Each dictionary column keeps a
 * mirror StringDictionary that grows by the strings each batch adds, in order, so codes mean the
 * same strings on both threads and, as on the single-thread path, all batches of a category
 * column share one dictionary instance (and all batches one Schema instance).
 */
export class CsvBatchDecoder {
  private schema: Schema | null = null;
  /** Per column index: the sender's dictionary id and its mirror. */
  private readonly dicts = new Map<number, { id: number; dict: StringDictionary }>();

  decode(m: WireBatch): Batch {
    if (m.fields !== null) this.schema = new Schema(m.fields);
    if (this.schema === null) throw new Error('csv parse thread: a batch arrived before its schema');
    const columns = m.columns.map((c, k): Column => {
      if (c.type !== 'category' && c.type !== 'text') return c;
      return { type: c.type, codes: c.codes, validity: c.validity, dictionary: this.mirror(k, c.dictionary) };
    });
    const b = new Batch(this.schema, columns, m.length, m.rowIds, m.lines);
    b.sourceAt = m.at;
    return b;
  }

  private mirror(k: number, d: WireDictionary): StringDictionary {
    let m = this.dicts.get(k);
    if (m === undefined || m.id !== d.id) this.dicts.set(k, (m = { id: d.id, dict: new StringDictionary() }));
    if (m.dict.size !== d.start)
      throw new Error(`csv parse thread: dictionary of column ${k} out of step (mirror has ${m.dict.size} strings, sender says ${d.start})`);
    for (const s of d.added) m.dict.code(s);
    return m.dict;
  }
}
