import { ExpressionError } from './ExpressionError.js';

export interface ExprToken {
  kind: 'num' | 'str' | 'ident' | 'op' | 'eof';
  /** Source text (for `str`, the unquoted value; for backtick identifiers, the name). */
  text: string;
  /** 0-based offset of the first character. */
  pos: number;
}

const OPS = ['==', '!=', '<=', '>=', '&&', '||', '+', '-', '*', '/', '%', '<', '>', '(', ')', ',', '!'];

/** Splits an expression into tokens; throws ExpressionError at the first character it cannot read. */
export function tokenizeExpression(src: string, path?: string): ExprToken[] {
  const out: ExprToken[] = [];
  let i = 0;
  const fail = (at: number, why: string): never => {
    throw new ExpressionError(src, at + 1, why, path);
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    if ((c >= '0' && c <= '9') || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(?:[0-9]*\.?[0-9]+|[0-9]+\.)(?:[eE][+-]?[0-9]+)?/.exec(src.slice(i))!;
      i += m[0].length;
      if (/[A-Za-z_]/.test(src[i] ?? '')) fail(i, `unexpected character "${src[i]}" after number`);
      out.push({ kind: 'num', text: m[0], pos: start });
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      while (i < src.length && /[A-Za-z0-9_.]/.test(src[i]!)) i++;
      out.push({ kind: 'ident', text: src.slice(start, i), pos: start });
      continue;
    }
    if (c === '`') {
      const end = src.indexOf('`', i + 1);
      if (end < 0) fail(start, 'unterminated `quoted` column name');
      out.push({ kind: 'ident', text: src.slice(i + 1, end), pos: start });
      i = end + 1;
      continue;
    }
    if (c === '"' || c === "'") {
      let s = '';
      i++;
      for (;;) {
        if (i >= src.length) fail(start, 'unterminated string');
        const d = src[i]!;
        if (d === c) {
          i++;
          break;
        }
        if (d === '\\' && i + 1 < src.length) {
          s += src[i + 1];
          i += 2;
          continue;
        }
        s += d;
        i++;
      }
      out.push({ kind: 'str', text: s, pos: start });
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op) {
      out.push({ kind: 'op', text: op, pos: start });
      i += op.length;
      continue;
    }
    if (c === '=') fail(start, 'single "=" is not an operator; use "==" to compare');
    if (c === '&' || c === '|') fail(start, `single "${c}"; use "${c}${c}" or "${c === '&' ? 'and' : 'or'}"`);
    fail(start, `unexpected character "${c}"`);
  }
  out.push({ kind: 'eof', text: '', pos: src.length });
  return out;
}
