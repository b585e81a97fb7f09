import { OptionReader, SpecError } from '../core/index.js';
import { AgrawalGenerator } from './AgrawalGenerator.js';
import { ConceptDriftGenerator } from './ConceptDriftGenerator.js';
import { GENERATOR_NAMES } from './GENERATOR_NAMES.js';
import { HyperplaneGenerator } from './HyperplaneGenerator.js';
import { LEDGenerator } from './LEDGenerator.js';
import { RandomRBFGenerator } from './RandomRBFGenerator.js';
import { SEAGenerator } from './SEAGenerator.js';
import { STAGGERGenerator } from './STAGGERGenerator.js';
import type { StreamGenerator } from './StreamGenerator.js';

/**
 * Builds a generator by registry name from plain options (spec files, the CLI), checking every
 * option: errors are SpecErrors whose path starts at `path` (default: the name), e.g.
 * `sea.function: expected 1..4, got 7`. `drift` takes `{ from, to, position, width, seed }`
 * where `from` and `to` are a name or a one-key object `{ sea: { function: 3 } }`.
 */
export function makeGenerator(name: string, options: Readonly<Record<string, unknown>> = {}, path: string = name): StreamGenerator {
  switch (name) {
    case 'sea':
      return new SEAGenerator(options, path);
    case 'hyperplane':
      return new HyperplaneGenerator(options, path);
    case 'agrawal':
      return new AgrawalGenerator(options, path);
    case 'rbf':
      return new RandomRBFGenerator(options, path);
    case 'led':
      return new LEDGenerator(options, path);
    case 'stagger':
      return new STAGGERGenerator(options, path);
    case 'drift': {
      const o = new OptionReader(path, options);
      const a = inner(o.any('from'), `${path}.from`),
        b = inner(o.any('to'), `${path}.to`);
      const rest = { position: o.any('position'), width: o.any('width'), seed: o.any('seed') };
      o.done();
      return new ConceptDriftGenerator(a, b, rest as { position: number }, path);
    }
    default:
      throw new SpecError(path === name ? 'generator' : path, `unknown generator ${JSON.stringify(name)}; expected one of ${GENERATOR_NAMES.join(', ')}`);
  }
}

function inner(spec: unknown, path: string): StreamGenerator {
  if (typeof spec === 'string') return makeGenerator(spec, {}, `${path}.${spec}`);
  if (spec && typeof spec === 'object' && !Array.isArray(spec) && Object.keys(spec).length === 1) {
    const [name, opts] = Object.entries(spec)[0]!;
    return makeGenerator(name, (opts ?? {}) as Record<string, unknown>, `${path}.${name}`);
  }
  throw new SpecError(
    path,
    `expected a generator name or a one-key object like { sea: { function: 1 } }, got ${spec === undefined ? 'nothing' : JSON.stringify(spec)}`,
  );
}
