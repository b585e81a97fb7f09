export { synthetic, type SyntheticOptions } from './synthetic.js';
