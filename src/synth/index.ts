// Seeded synthetic streams with known concepts and drift (MOA's generators as the reference).
export type { StreamGenerator, GeneratorState } from './StreamGenerator.js';
export { RowGenerator, type GeneratedField } from './RowGenerator.js';
export { SEAGenerator, type SEAOptions } from './SEAGenerator.js';
export { HyperplaneGenerator, type HyperplaneOptions } from './HyperplaneGenerator.js';
export { AgrawalGenerator, type AgrawalOptions } from './AgrawalGenerator.js';
export { RandomRBFGenerator, type RandomRBFOptions } from './RandomRBFGenerator.js';
export { LEDGenerator, type LEDOptions } from './LEDGenerator.js';
export { STAGGERGenerator, type STAGGEROptions } from './STAGGERGenerator.js';
export { ConceptDriftGenerator, type ConceptDriftOptions } from './ConceptDriftGenerator.js';
export { makeGenerator } from './makeGenerator.js';
export { GENERATOR_NAMES } from './GENERATOR_NAMES.js';
export { generatorFromJSON } from './generatorFromJSON.js';
