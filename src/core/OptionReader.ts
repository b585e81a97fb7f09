import { SpecError } from './SpecError.js';

/**
 * Reads and checks a piece's options (a detector's, a generator's), throwing SpecError with the key
 * path (`adwin.delta: expected a number in (0, 1), got 0`, `sea.function: expected 1..4, got 7`).
 * Unknown keys are errors too, so a typo in a spec file does not silently fall back to a default.
 */
export class OptionReader {
  private readonly seen = new Set<string>();

  constructor(
    readonly path: string,
    private readonly options: Readonly<Record<string, unknown>>,
  ) {
    if (options === null || typeof options !== 'object' || Array.isArray(options))
      throw new SpecError(path, `expected an object of options, got ${describe(options)}`);
  }

  private raw(key: string): unknown {
    this.seen.add(key);
    return this.options[key];
  }

  /** An integer in [min, max]. */
  int(key: string, def: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
    const v = this.raw(key);
    if (v === undefined) return def;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      throw new SpecError(`${this.path}.${key}`, `expected ${max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `${min}..${max}`}, got ${describe(v)}`);
    return v;
  }

  /** A finite number between lo and hi; `ends` says which ends are included, as in interval notation ('(]', '()', '[)', '[]'). */
  number(key: string, def: number, lo: number, hi = Infinity, ends: '()' | '(]' | '[)' | '[]' = '[]'): number {
    const v = this.raw(key);
    if (v === undefined) return def;
    const okLo = typeof v === 'number' && (ends[0] === '(' ? v > lo : v >= lo);
    const okHi = typeof v === 'number' && (ends[1] === ')' ? v < hi : v <= hi);
    if (typeof v !== 'number' || !Number.isFinite(v) || !okLo || !okHi) {
      const range = hi === Infinity ? `${ends[0] === '(' ? '>' : '≥'} ${lo}` : `in ${ends[0]}${lo}, ${hi}${ends[1]}`;
      throw new SpecError(`${this.path}.${key}`, `expected a number ${range}, got ${describe(v)}`);
    }
    return v;
  }

  bool(key: string, def: boolean): boolean {
    const v = this.raw(key);
    if (v === undefined) return def;
    if (typeof v !== 'boolean') throw new SpecError(`${this.path}.${key}`, `expected true or false, got ${describe(v)}`);
    return v;
  }

  oneOf<T extends string>(key: string, def: T, values: readonly T[]): T {
    const v = this.raw(key);
    if (v === undefined) return def;
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v))
      throw new SpecError(`${this.path}.${key}`, `expected one of ${values.join('|')}, got ${describe(v)}`);
    return v as T;
  }

  /** A 32-bit seed (any safe integer; negative ones wrap like the RNG does). */
  seed(key: string, def: number): number {
    const v = this.raw(key);
    if (v === undefined) return def;
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new SpecError(`${this.path}.${key}`, `expected an integer seed, got ${describe(v)}`);
    return v >>> 0;
  }

  /** The value as given, for options the caller checks itself. */
  any(key: string): unknown {
    return this.raw(key);
  }

  /** Rejects keys no reader method asked for. */
  done(): void {
    const unknown = Object.keys(this.options).filter((k) => !this.seen.has(k) && this.options[k] !== undefined);
    if (unknown.length > 0) throw new SpecError(`${this.path}.${unknown[0]}`, `unknown option; expected one of ${[...this.seen].join(', ')}`);
  }
}

function describe(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? 'an array' : v === null ? 'null' : String(v);
}
