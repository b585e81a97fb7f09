export { openInput, type InputOptions, type ByteInput } from './openInput.js';
