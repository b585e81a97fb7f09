import { type Batch, SchemaError, SpecError, StringDictionary } from '../../core/index.js';
import type { Transform, TransformState } from '../Transform.js';
import { type CleanStringOptions, cleanString } from './cleanString.js';

export interface TextCleanerState {
  columns: string[];
  options: CleanStringOptions;
  /** Cleaned empty strings become missing (default false: they stay ""). */
  emptyAsMissing: boolean;
}

/**
 * Applies `cleanString` to text/category columns. Works on dictionaries: each distinct string is
 * cleaned once per batch dictionary, and rows get remapped codes. Stateless.
 */
export class TextCleaner implements Transform<TextCleanerState> {
  readonly kind = 'cleanText';
  private readonly cache = new WeakMap<StringDictionary, { size: number; dict: StringDictionary; map: Int32Array }>();

  constructor(
    readonly columns: readonly string[],
    readonly options: CleanStringOptions = {},
    readonly emptyAsMissing = false,
  ) {
    if (!Array.isArray(columns) || columns.length === 0 || columns.some((c) => typeof c !== 'string'))
      throw new SpecError('cleanText.columns', 'expected a non-empty list of column names');
    for (const k of Object.keys(options))
      if (!['lowercase', 'stripHtml', 'stripUrls', 'stripNumbers', 'stripPunctuation'].includes(k))
        throw new SpecError(`cleanText.${k}`, 'unknown option; options are lowercase, stripHtml, stripUrls, stripNumbers, stripPunctuation');
  }

  learn(_batch: Batch): void {}

  apply(batch: Batch): Batch {
    let out = batch;
    for (const name of this.columns) {
      const c = batch.column(name);
      if (c.type !== 'text' && c.type !== 'category') throw new SchemaError(`cleanText needs a text or category column, got ${c.type}`, name);
      // Source dictionaries only grow, so the mapping of old codes stays valid; extend it.
      let m = this.cache.get(c.dictionary);
      if (!m) {
        m = { size: 0, dict: new StringDictionary(), map: new Int32Array(0) };
        this.cache.set(c.dictionary, m);
      }
      if (m.size < c.dictionary.size) {
        const map = new Int32Array(c.dictionary.size);
        map.set(m.map);
        for (let k = m.size; k < c.dictionary.size; k++) {
          const s = cleanString(c.dictionary.get(k), this.options);
          map[k] = this.emptyAsMissing && s === '' ? -1 : m.dict.code(s);
        }
        m.map = map;
        m.size = c.dictionary.size;
      }
      const n = batch.length,
        codes = new Int32Array(n);
      let bitmap: Uint8Array | null = c.validity ? c.validity.slice() : null;
      for (let i = 0; i < n; i++) {
        const code = c.codes[i]!;
        const v = code >= 0 && (c.validity === null || (c.validity[i >> 3]! >> (i & 7)) & 1) ? m.map[code]! : -1;
        codes[i] = v;
        if (v < 0) {
          bitmap ??= new Uint8Array((n + 7) >> 3).fill(0xff);
          bitmap[i >> 3]! &= ~(1 << (i & 7));
        }
      }
      out = out.withColumn(name, { type: c.type, codes, dictionary: m.dict, validity: bitmap });
    }
    return out;
  }

  toJSON(): TransformState<TextCleanerState> {
    return { kind: this.kind, state: { columns: this.columns.slice(), options: { ...this.options }, emptyAsMissing: this.emptyAsMissing } };
  }

  static fromJSON(s: TransformState<TextCleanerState> | TextCleanerState): TextCleaner {
    const st = 'state' in s ? s.state : s;
    return new TextCleaner(st.columns, st.options, st.emptyAsMissing);
  }
}
