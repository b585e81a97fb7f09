import { SpecError } from '../../core/index.js';

/**
 * A bad derive expression: says what is wrong, the 1-based character column, and shows the
 * expression with a caret under that character.
 */
export class ExpressionError extends SpecError {
  readonly expression: string;
  /** 1-based character position in `expression`. */
  readonly column: number;
  readonly reason: string;

  constructor(expression: string, column: number, reason: string, path = 'expression') {
    super(path, `${reason} at column ${column}\n  ${expression}\n  ${' '.repeat(Math.max(0, column - 1))}^`);
    this.expression = expression;
    this.column = column;
    this.reason = reason;
  }
}
