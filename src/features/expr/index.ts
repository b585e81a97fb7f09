export { type CompiledExpression, type CompileExpressionOptions, compileExpression } from './compileExpression.js';
export { ExpressionError } from './ExpressionError.js';
export type { ExprNode } from './ExprNode.js';
export type { NonFinitePolicy } from './NonFinitePolicy.js';
export { numericColumn } from './numericColumn.js';
export { parseExpression } from './parseExpression.js';
export { type ExprToken, tokenizeExpression } from './tokenizeExpression.js';
