export { ExpressionError } from './ExpressionError.js';
export type { ExprNode } from './ExprNode.js';
export type { NonFinitePolicy } from './NonFinitePolicy.js';
export { tokenizeExpression, type ExprToken } from './tokenizeExpression.js';
export { parseExpression } from './parseExpression.js';
export { compileExpression, type CompileExpressionOptions, type CompiledExpression } from './compileExpression.js';
export { numericColumn } from './numericColumn.js';
