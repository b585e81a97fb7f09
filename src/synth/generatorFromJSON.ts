import { SpecError } from '../core/index.js';
import { AgrawalGenerator } from './AgrawalGenerator.js';
import { ConceptDriftGenerator } from './ConceptDriftGenerator.js';
import { HyperplaneGenerator } from './HyperplaneGenerator.js';
import { LEDGenerator } from './LEDGenerator.js';
import { RandomRBFGenerator } from './RandomRBFGenerator.js';
import { SEAGenerator } from './SEAGenerator.js';
import { STAGGERGenerator } from './STAGGERGenerator.js';
import type { GeneratorState, StreamGenerator } from './StreamGenerator.js';

/** Restores any generator from its `toJSON()` state, dispatching on `kind`. */
export function generatorFromJSON(state: GeneratorState): StreamGenerator {
  // Looked up at call time: ConceptDriftGenerator imports this module back.
  switch (state?.kind) {
    case 'sea':
      return SEAGenerator.fromJSON(state);
    case 'hyperplane':
      return HyperplaneGenerator.fromJSON(state);
    case 'agrawal':
      return AgrawalGenerator.fromJSON(state);
    case 'rbf':
      return RandomRBFGenerator.fromJSON(state);
    case 'led':
      return LEDGenerator.fromJSON(state);
    case 'stagger':
      return STAGGERGenerator.fromJSON(state);
    case 'drift':
      return ConceptDriftGenerator.fromJSON(state);
    default:
      throw new SpecError('kind', `unknown generator state kind ${JSON.stringify(state?.kind)}`);
  }
}
