import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SpecError } from '../../../src/core/index.js';
import { ExpressionError, type ExprNode, parseExpression } from '../../../src/features/index.js';

/** Fully parenthesized rendering of the AST, to check precedence. */
function show(n: ExprNode): string {
  switch (n.type) {
    case 'num':
      return String(n.value);
    case 'str':
      return JSON.stringify(n.value);
    case 'bool':
      return String(n.value);
    case 'col':
      return n.name;
    case 'call':
      return `${n.name}(${n.args.map(show).join(', ')})`;
    case 'unary':
      return `(${n.op} ${show(n.arg)})`;
    case 'binary':
      return `(${show(n.left)} ${n.op} ${show(n.right)})`;
  }
}

test('precedence and associativity', () => {
  assert.is(show(parseExpression('a + b * c - d / 2')), '((a + (b * c)) - (d / 2))');
  assert.is(show(parseExpression('delay > 15 and not x == 1 or y')), '(((delay > 15) and (not (x == 1))) or y)');
  assert.is(show(parseExpression('-a * -(b + 1)')), '((- a) * (- (b + 1)))');
  assert.is(show(parseExpression('if(a >= 1e3, log1p(`my col`), .5)')), 'if((a >= 1000), log1p(my col), 0.5)');
  assert.is(show(parseExpression("origin == 'SEA' && !(x != 2) || z")), '(((origin == "SEA") and (not (x != 2))) or z)');
});

function errAt(src: string, column: number, re: RegExp) {
  try {
    parseExpression(src);
  } catch (e) {
    assert.ok(e instanceof ExpressionError && e instanceof SpecError, 'an ExpressionError (a SpecError)');
    const x = e as ExpressionError;
    assert.is(x.column, column, `${src}: ${x.message}`);
    assert.match(x.reason, re);
    const lines = x.message.split('\n');
    assert.is(lines[1], `  ${src}`);
    assert.is(lines[2]!.indexOf('^'), column + 1, 'caret under the character');
    return;
  }
  assert.unreachable(`no error for ${src}`);
}

test('errors point at the character', () => {
  errAt('delay > ', 9, /ends too early/);
  errAt('a + * b', 5, /expected a value/);
  errAt('a = 1', 3, /use "=="/);
  errAt('(a + 1', 7, /expected "\)"/);
  errAt('a < b < c', 7, /do not chain/);
  errAt('f(a b)', 5, /expected "," or "\)"/);
  errAt('a # b', 3, /unexpected character "#"/);
  errAt('"abc', 1, /unterminated string/);
  errAt('a b', 3, /after a complete expression/);
  errAt('', 1, /empty/);
  errAt('12abc', 3, /after number/);
});

test.run();
