// Seeded synthetic streams with known concepts and drift (MOA's generators as the reference).

export { AgrawalGenerator, type AgrawalOptions } from './AgrawalGenerator.js';
export { ConceptDriftGenerator, type ConceptDriftOptions } from './ConceptDriftGenerator.js';
export { GENERATOR_NAMES } from './GENERATOR_NAMES.js';
export { generatorFromJSON } from './generatorFromJSON.js';
export { HyperplaneGenerator, type HyperplaneOptions } from './HyperplaneGenerator.js';
export { LEDGenerator, type LEDOptions } from './LEDGenerator.js';
export { makeGenerator } from './makeGenerator.js';
export { RandomRBFGenerator, type RandomRBFOptions } from './RandomRBFGenerator.js';
export { type GeneratedField, RowGenerator } from './RowGenerator.js';
export { SEAGenerator, type SEAOptions } from './SEAGenerator.js';
export { STAGGERGenerator, type STAGGEROptions } from './STAGGERGenerator.js';
export type { GeneratorState, StreamGenerator } from './StreamGenerator.js';
