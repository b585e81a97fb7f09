/**
 * Growing string ↔ code table for dictionary-encoded columns. Codes are stable once given, so a
 * source can share one dictionary across all its batches (category columns) and encoders can key
 * on codes instead of strings.
 */
export class StringDictionary {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();

  constructor(values: Iterable<string> = []) {
    for (const v of values) this.code(v);
  }

  get size(): number {
    return this.values.length;
  }

  /** The code of `s`, adding it when new. */
  code(s: string): number {
    let c = this.index.get(s);
    if (c === undefined) {
      c = this.values.length;
      this.values.push(s);
      this.index.set(s, c);
    }
    return c;
  }

  /** The code of `s`, or -1 when it was never seen. */
  lookup(s: string): number {
    return this.index.get(s) ?? -1;
  }

  get(code: number): string {
    const v = this.values[code];
    if (v === undefined) throw new RangeError(`dictionary code ${code} out of range (size ${this.values.length})`);
    return v;
  }

  toJSON(): string[] {
    return this.values.slice();
  }

  static fromJSON(values: readonly string[]): StringDictionary {
    return new StringDictionary(values);
  }
}
