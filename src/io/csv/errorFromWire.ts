import { BadInputError, SchemaError, SluiceError, SourceError, SpecError } from '../../core/index.js';
import type { WireError } from './errorToWire.js';

const BUILTIN: Record<string, ErrorConstructor> = { Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError };

/**
 * Builds on this thread an error of the class errorToWire saw on the parse thread, through its
 * own constructor, with the same message, fields and code; the stack is the parse thread's (it
 * says where the error arose). The constructors put the detail after a prefix they compute, so
 * the detail is the message without the prefix an empty detail gives.
 */
export function errorFromWire(w: WireError): Error {
  const cause = w.cause !== undefined ? errorFromWire(w.cause) : undefined;
  const after = (prefix: string) => (w.message.startsWith(prefix) ? w.message.slice(prefix.length) : w.message);
  let e: Error;
  switch (w.kind) {
    case 'BadInputError': {
      const probe = new BadInputError(w.reason!, w.location!, '').message;
      e = new BadInputError(w.reason!, w.location!, after(probe));
      break;
    }
    case 'SchemaError':
      e = new SchemaError(w.column !== undefined ? after(`column "${w.column}": `) : w.message, w.column);
      break;
    case 'SpecError':
      e = new SpecError(w.path!, after(`${w.path}: `));
      break;
    case 'SourceError':
      e = new SourceError(w.source!, after(`${w.source}: `), { ...(w.code !== undefined ? { code: w.code } : {}), ...(cause !== undefined ? { cause } : {}) });
      break;
    case 'SluiceError':
      e = new SluiceError(w.code ?? 'ERROR', w.message, cause !== undefined ? { cause } : undefined);
      e.name = w.name;
      break;
    default: {
      const C = BUILTIN[w.name] ?? Error;
      e = new C(w.message, cause !== undefined ? { cause } : undefined);
      if (e.name !== w.name) e.name = w.name;
      if (w.causeProps) Object.assign(e, w.causeProps);
    }
  }
  if (e.message !== w.message) e.message = w.message;
  if (w.stack !== undefined) e.stack = w.stack;
  return e;
}
