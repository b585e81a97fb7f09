import { SluiceError, type SpecError } from '../core/index.js';

/** Every problem found in one spec, each a SpecError with its key path; one line per problem. */
export class SpecErrors extends SluiceError {
  readonly problems: readonly SpecError[];
  constructor(
    readonly file: string,
    problems: readonly SpecError[],
  ) {
    super('SPEC', `${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${problems.map((p) => `  ${p.message}`).join('\n')}`);
    this.problems = problems;
  }
}
