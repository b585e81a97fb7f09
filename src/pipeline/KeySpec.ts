/**
 * A declarative description of one spec key. The validator (validateSpec) and the reference
 * (docs/spec.md, from specDoc) are both derived from these, so they cannot disagree.
 */
export type KeySpec = StringKey | NumberKey | BooleanKey | ObjectKey | ListKey | MapKey | UnionKey | VariantKey | AnyKey;

interface KeyBase {
  /** One or two sentences for docs/spec.md. */
  doc: string;
  /** Default shown in the docs (the code applying it lives in buildPipeline or the operators). */
  default?: unknown;
}

export interface StringKey extends KeyBase {
  type: 'string';
  /** Allowed values; anything else is a problem with a did-you-mean. */
  enum?: readonly string[];
}

export interface NumberKey extends KeyBase {
  type: 'number' | 'integer';
  min?: number;
  max?: number;
  /** min is exclusive (a fraction in (0, 1)). */
  exclusive?: boolean;
}

export interface BooleanKey extends KeyBase {
  type: 'boolean';
}

export interface ObjectKey extends KeyBase {
  type: 'object';
  keys: Readonly<Record<string, KeySpec>>;
  required?: readonly string[];
  /** Exactly one of these keys must be present (a source's kind). */
  oneOf?: readonly string[];
  /**
   * Keys valid only beside one of the listed `oneOf` keys (csv-only options, ...); in an object
   * that is a variant (`model.<kind>`), only under the listed variant names (mlp-only options).
   */
  onlyWith?: Readonly<Record<string, readonly string[]>>;
  /** A string or list written in place of the object stands for this key (`standardize: [a, b]`). */
  shorthand?: string;
}

export interface ListKey extends KeyBase {
  type: 'list';
  items: KeySpec;
  minItems?: number;
  maxItems?: number;
}

export interface MapKey extends KeyBase {
  type: 'map';
  /** What the keys of the map are (docs only): "column name". */
  keyDoc: string;
  values: KeySpec;
}

/** One of several shapes, chosen by the value's JSON type (string, number, list, object...). */
export interface UnionKey extends KeyBase {
  type: 'union';
  variants: readonly KeySpec[];
}

/**
 * A one-key object whose key picks the variant (`{ impute: {...} }`, `{ logistic: {...} }`); a
 * bare string names a variant with no options when `bare` is set.
 */
export interface VariantKey extends KeyBase {
  type: 'variant';
  variants: Readonly<Record<string, KeySpec>>;
  bare?: boolean;
}

/** Checked elsewhere (generator options by makeGenerator, constants). */
export interface AnyKey extends KeyBase {
  type: 'any';
}
