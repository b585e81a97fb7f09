import { KernelError } from '../../core/index.js';

export interface ParsedColumnFunction {
  params: string[];
  /** A statement block `{ … }` usable as a plain function body. */
  body: string;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

/**
 * Splits a JS function over scalars — `(distance, time) => distance / (time + 1)`, `x => x * 2`,
 * `(a, b) => { … }` or `function (a, b) { … }` — into parameter names and a block body, the form
 * gpu.js compiles (it rejects arrow functions as helpers). Parameters must be plain identifiers.
 */
export function parseColumnFunction(fn: ((...args: number[]) => number) | string): ParsedColumnFunction {
  const src = (typeof fn === 'string' ? fn : fn.toString()).trim();
  let params: string, body: string;
  const fnMatch = /^function\s*[\w$]*\s*\(([^)]*)\)\s*(\{[\s\S]*\})$/.exec(src);
  const arrow = /^(?:\(([^)]*)\)|([A-Za-z_$][\w$]*))\s*=>\s*([\s\S]+)$/.exec(src);
  if (fnMatch) {
    params = fnMatch[1]!;
    body = fnMatch[2]!;
  } else if (arrow) {
    params = arrow[1] ?? arrow[2]!;
    const rest = arrow[3]!.trim();
    body = rest.startsWith('{') ? rest : `{ return (${rest.replace(/;\s*$/, '')}); }`;
  } else throw new KernelError('compileColumnFunction', {}, `not a plain or arrow function: ${src.slice(0, 80)}`);
  const names = params
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  for (const p of names)
    if (!IDENT.test(p)) throw new KernelError('compileColumnFunction', {}, `parameter "${p}" must be a plain identifier (no defaults, rest or destructuring)`);
  if (names.length === 0) throw new KernelError('compileColumnFunction', {}, 'the function needs at least one column parameter');
  return { params: names, body };
}
