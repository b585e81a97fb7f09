import { ExpressionError } from './ExpressionError.js';
import type { ExprNode } from './ExprNode.js';
import { type ExprToken, tokenizeExpression } from './tokenizeExpression.js';

const CMP = new Set(['==', '!=', '<', '<=', '>', '>=']);

/**
 * Recursive-descent parser of the derive language, lowest precedence first:
 * `or`/`||` < `and`/`&&` < `not`/`!` < comparisons (non-associative) < `+ -` < `* / %` < unary
 * minus < literals, columns, calls and parentheses. Never evaluates anything.
 */
export function parseExpression(src: string, path?: string): ExprNode {
  const toks = tokenizeExpression(src, path);
  let k = 0;
  const peek = (): ExprToken => toks[k]!;
  const fail = (t: ExprToken, why: string): never => {
    throw new ExpressionError(src, t.pos + 1, why, path);
  };
  const isOp = (t: ExprToken, ...ops: string[]) => (t.kind === 'op' || t.kind === 'ident') && ops.includes(t.text);
  const describe = (t: ExprToken) => (t.kind === 'eof' ? 'end of expression' : `"${t.kind === 'str' ? JSON.stringify(t.text).slice(1, -1) : t.text}"`);

  const orExpr = (): ExprNode => {
    let left = andExpr();
    while (isOp(peek(), 'or', '||')) {
      const t = toks[k++]!;
      left = { type: 'binary', op: 'or', left, right: andExpr(), pos: t.pos };
    }
    return left;
  };
  const andExpr = (): ExprNode => {
    let left = notExpr();
    while (isOp(peek(), 'and', '&&')) {
      const t = toks[k++]!;
      left = { type: 'binary', op: 'and', left, right: notExpr(), pos: t.pos };
    }
    return left;
  };
  const notExpr = (): ExprNode => {
    if (isOp(peek(), 'not', '!')) {
      const t = toks[k++]!;
      return { type: 'unary', op: 'not', arg: notExpr(), pos: t.pos };
    }
    return cmpExpr();
  };
  const cmpExpr = (): ExprNode => {
    const left = addExpr();
    const t = peek();
    if (t.kind === 'op' && CMP.has(t.text)) {
      k++;
      const right = addExpr();
      const n = peek();
      if (n.kind === 'op' && CMP.has(n.text)) fail(n, `comparisons do not chain; write "a ${t.text} b and b ${n.text} c"`);
      return { type: 'binary', op: t.text as '==', left, right, pos: t.pos };
    }
    return left;
  };
  const addExpr = (): ExprNode => {
    let left = mulExpr();
    while (peek().kind === 'op' && (peek().text === '+' || peek().text === '-')) {
      const t = toks[k++]!;
      left = { type: 'binary', op: t.text as '+', left, right: mulExpr(), pos: t.pos };
    }
    return left;
  };
  const mulExpr = (): ExprNode => {
    let left = unary();
    while (peek().kind === 'op' && ['*', '/', '%'].includes(peek().text)) {
      const t = toks[k++]!;
      left = { type: 'binary', op: t.text as '*', left, right: unary(), pos: t.pos };
    }
    return left;
  };
  const unary = (): ExprNode => {
    const t = peek();
    if (t.kind === 'op' && t.text === '-') {
      k++;
      return { type: 'unary', op: '-', arg: unary(), pos: t.pos };
    }
    if (t.kind === 'op' && t.text === '+') {
      k++;
      return unary();
    }
    return primary();
  };
  const primary = (): ExprNode => {
    const t = toks[k++]!;
    switch (t.kind) {
      case 'num':
        return { type: 'num', value: Number(t.text), pos: t.pos };
      case 'str':
        return { type: 'str', value: t.text, pos: t.pos };
      case 'ident': {
        if (t.text === 'true' || t.text === 'false') return { type: 'bool', value: t.text === 'true', pos: t.pos };
        if (['and', 'or', 'not'].includes(t.text)) return fail(t, `expected a value, found ${describe(t)}`);
        if (peek().kind === 'op' && peek().text === '(' && src[t.pos] !== '`') {
          k++;
          const args: ExprNode[] = [];
          if (!(peek().kind === 'op' && peek().text === ')')) {
            for (;;) {
              args.push(orExpr());
              const s = peek();
              if (s.kind === 'op' && s.text === ',') {
                k++;
                continue;
              }
              if (s.kind === 'op' && s.text === ')') break;
              fail(s, `expected "," or ")" in call to ${t.text}, found ${describe(s)}`);
            }
          }
          k++;
          return { type: 'call', name: t.text, args, pos: t.pos };
        }
        return { type: 'col', name: t.text, pos: t.pos };
      }
      case 'op':
        if (t.text === '(') {
          const e = orExpr();
          const c = peek();
          if (!(c.kind === 'op' && c.text === ')')) fail(c, `expected ")" to close the "(" at column ${t.pos + 1}, found ${describe(c)}`);
          k++;
          return e;
        }
        return fail(t, `expected a value, found ${describe(t)}`);
      case 'eof':
        return fail(t, 'expression ends too early');
    }
  };

  if (peek().kind === 'eof') fail(peek(), 'empty expression');
  const root = orExpr();
  if (peek().kind !== 'eof') fail(peek(), `unexpected ${describe(peek())} after a complete expression`);
  return root;
}
