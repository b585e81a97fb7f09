export type { Model, ModelKind, ModelState, Task } from './Model.js';
