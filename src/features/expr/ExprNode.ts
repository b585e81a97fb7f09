/** AST of the derive expression language; `pos` is the 0-based character offset of the node. */
export type ExprNode =
  | { type: 'num'; value: number; pos: number }
  | { type: 'str'; value: string; pos: number }
  | { type: 'bool'; value: boolean; pos: number }
  | { type: 'col'; name: string; pos: number }
  | { type: 'call'; name: string; args: ExprNode[]; pos: number }
  | { type: 'unary'; op: '-' | 'not'; arg: ExprNode; pos: number }
  | { type: 'binary'; op: '+' | '-' | '*' | '/' | '%' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'and' | 'or'; left: ExprNode; right: ExprNode; pos: number };
