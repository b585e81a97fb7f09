import type { ColumnType } from '../core/index.js';

/** A cell the server passes through: a scalar. A nested object or array is refused, never walked. */
export const CELL = { type: ['string', 'number', 'boolean', 'null'] };

export interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

type Row = Record<string, unknown>;

/**
 * What one endpoint's JSON body looks like: a row object or an array of them, as a JSON schema
 * (fastify checks it before the handler, types never coerced), and the words its 400s use.
 */
export class BodyShape {
  readonly schema: object;

  private constructor(
    properties: Record<string, object>,
    required: string[],
    additional: object | false,
    /** A field's expected JSON type in words ("a number or null"). */
    private readonly expected: (field: string) => string,
    /** The 400 for a missing field: why it is needed. */
    private readonly missing: (field: string) => string,
    /** The 400 for a field the shape does not take. */
    private readonly unknown: (field: string) => string,
    /** What one row is, for a body that is not one ("a JSON object (one row)"). */
    private readonly one: string,
  ) {
    const row = { properties, required, additionalProperties: additional };
    this.schema = { type: ['object', 'array'], ...row, items: { type: 'object', ...row } };
  }

  /**
   * POST /predict: the model's columns typed and required; other fields pass through as scalars.
   * `types` null (an artifact without recorded types): any scalar fields.
   */
  static predict(types: Readonly<Record<string, ColumnType>> | null): BodyShape {
    const properties = Object.fromEntries(Object.entries(types ?? {}).map(([name, type]) => [name, columnSchema(type)]));
    const reads = Object.keys(types ?? {}).join(', ');
    return new BodyShape(
      properties,
      Object.keys(properties),
      CELL,
      (f) => expectedType(types?.[f] ?? null),
      (f) => `missing column "${f}" (the model reads ${reads}; null is a missing value)`,
      (f) => `unexpected column "${f}"`,
      'a JSON object (one row)',
    );
  }

  /**
   * POST /learn: the model's columns and the label columns, typed and required; `id` (the id
   * column) is taken and ignored; any other field is refused, so a misspelled label is not a
   * silent pass-through.
   */
  static learn(
    types: Readonly<Record<string, ColumnType>> | null,
    labels: readonly string[],
    labelTypes: Readonly<Record<string, ColumnType>> | null,
    id: string | null,
  ): BodyShape {
    const typeOf = (f: string): ColumnType | null => types?.[f] ?? labelTypes?.[f] ?? null;
    const properties: Record<string, object> = Object.fromEntries(Object.entries(types ?? {}).map(([name, type]) => [name, columnSchema(type)]));
    for (const l of labels) properties[l] = labelTypes?.[l] ? columnSchema(labelTypes[l]!) : CELL;
    if (id !== null && !Object.hasOwn(properties, id)) properties[id] = CELL;
    const reads = Object.keys(types ?? {}).join(', ');
    const learns = labels.join(', ');
    // Without recorded types any scalar field is taken (the model's columns are not known).
    return new BodyShape(
      properties,
      [...Object.keys(types ?? {}), ...labels],
      types === null ? CELL : false,
      (f) => expectedType(typeOf(f)),
      (f) =>
        labels.includes(f)
          ? `missing label column "${f}" (POST /learn takes labelled rows: the model's columns ${reads} and ${learns})`
          : `missing column "${f}" (the model reads ${reads}; null is a missing value)`,
      (f) => `unknown column "${f}": POST /learn takes the model's columns (${reads}) and the label (${learns})${id !== null ? ` and "${id}"` : ''}`,
      'a JSON object (one labelled row)',
    );
  }

  /** POST /feedback: `{ id, label }` objects, nothing else. */
  static feedback(): BodyShape {
    return new BodyShape(
      { id: { type: ['string', 'number'] }, label: { type: ['string', 'number', 'boolean'] } },
      ['id', 'label'],
      false,
      (f) => (f === 'id' ? 'expected a string or a number' : 'expected a string, a number or a boolean'),
      (f) => `missing field "${f}" (feedback is { "id": ..., "label": ... })`,
      (f) => `unknown field "${f}": feedback is { "id": ..., "label": ... }`,
      'a JSON object ({ id, label })',
    );
  }

  /** Fastify's first schema error as `{ error, field?, row? }`, in the endpoint's terms. */
  describe(errors: readonly AjvError[], body: unknown): { error: string; field?: string; row?: number } {
    const e = errors[0]!;
    const path = e.instancePath
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const many = Array.isArray(body);
    const row = many && path.length > 0 ? Number(path[0]) : undefined;
    const where = row !== undefined ? `row ${row}: ` : '';
    const at = row !== undefined ? { row } : {};
    if (e.keyword === 'required') {
      const field = String(e.params.missingProperty);
      return { error: `${where}${this.missing(field)}`, field, ...at };
    }
    if (e.keyword === 'additionalProperties' && e.params.additionalProperty !== undefined) {
      const field = String(e.params.additionalProperty);
      return { error: `${where}${this.unknown(field)}`, field, ...at };
    }
    const field = path[many ? 1 : 0];
    if (field === undefined) return { error: row !== undefined ? `${where}expected an object` : `expected ${this.one} or an array of them`, ...at };
    const value = many ? (body as Row[])[row!]?.[field] : (body as Row)[field];
    const got =
      value !== null && typeof value === 'object'
        ? `a nested ${Array.isArray(value) ? 'array' : 'object'} (cells are scalars)`
        : typeof value === 'number' && !Number.isFinite(value)
          ? 'a number beyond a double (it reads as Infinity)'
          : JSON.stringify(value);
    const expected = e.keyword === 'type' ? this.expected(field) : (e.message ?? e.keyword);
    return { error: `${where}column "${field}": ${expected}, got ${got}`, field, ...at };
  }
}

/** A column's type as a JSON schema: numbers for number columns, anything scalar for text. */
export function columnSchema(type: ColumnType): object {
  switch (type) {
    case 'number':
      return { type: ['number', 'null'] };
    case 'integer':
      return { type: ['integer', 'null'], minimum: -2147483648, maximum: 2147483647 };
    case 'boolean':
      return { type: ['boolean', 'null'] };
    case 'datetime':
      return { type: ['string', 'number', 'null'] };
    default:
      return CELL;
  }
}

function expectedType(type: ColumnType | null): string {
  if (type === null) return 'expected a string, number, boolean or null';
  return `expected ${type === 'category' || type === 'text' ? 'a string' : `a ${type}`} or null`;
}
