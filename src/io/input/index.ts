export { type ByteInput, type InputOptions, openInput } from './openInput.js';
