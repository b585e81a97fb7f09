import { BadInputError, type BadInputLocation, type BadRowReason, SchemaError, SluiceError, SourceError, SpecError } from '../../core/index.js';

/** An error as it crosses threads: what errorFromWire needs to build the same class again. */
export interface WireError {
  kind: 'BadInputError' | 'SchemaError' | 'SpecError' | 'SourceError' | 'SluiceError' | 'Error';
  name: string;
  message: string;
  stack?: string;
  code?: string;
  reason?: BadRowReason;
  location?: BadInputLocation;
  column?: string;
  path?: string;
  source?: string;
  /** Plain properties of an Error cause (a Node system error: code, errno, syscall, path). */
  causeProps?: Record<string, string | number>;
  cause?: WireError;
}

/**
 * Flattens an error thrown on the parse thread into plain data. Structured clone keeps only an
 * Error's message and stack (never its class or fields), so sluice's errors go field by field.
 */
export function errorToWire(err: unknown, depth = 0): WireError {
  if (!(err instanceof Error)) return { kind: 'Error', name: 'Error', message: String(err) };
  const w: WireError = { kind: 'Error', name: err.name, message: err.message, ...(err.stack !== undefined ? { stack: err.stack } : {}) };
  if (err instanceof BadInputError) Object.assign(w, { kind: 'BadInputError', reason: err.reason, location: { ...err.location } });
  else if (err instanceof SchemaError) Object.assign(w, { kind: 'SchemaError', ...(err.column !== undefined ? { column: err.column } : {}) });
  else if (err instanceof SpecError) Object.assign(w, { kind: 'SpecError', path: err.path });
  else if (err instanceof SourceError) Object.assign(w, { kind: 'SourceError', source: err.source });
  else if (err instanceof SluiceError) w.kind = 'SluiceError';
  if (err instanceof SluiceError) w.code = err.code;
  const props: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(err)) if ((typeof v === 'string' || typeof v === 'number') && !(k in w)) props[k] = v;
  if (Object.keys(props).length > 0 && w.kind === 'Error') w.causeProps = props;
  if (err.cause !== undefined && depth < 3) w.cause = errorToWire(err.cause, depth + 1);
  return w;
}
