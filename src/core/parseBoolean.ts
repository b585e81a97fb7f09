/** The words read as true and false, each in lower case, Capitalized and UPPER case. */
const WORDS: ReadonlyArray<readonly [string, boolean]> = [
  ['true', true],
  ['t', true],
  ['yes', true],
  ['y', true],
  ['1', true],
  ['false', false],
  ['f', false],
  ['no', false],
  ['n', false],
  ['0', false],
];
const BOOLEANS: ReadonlyMap<string, boolean> = new Map(
  WORDS.flatMap(
    ([w, v]) =>
      [
        [w, v],
        [w[0]!.toUpperCase() + w.slice(1), v],
        [w.toUpperCase(), v],
      ] as Array<[string, boolean]>,
  ),
);

/**
 * A boolean word (`true`, `t`, `yes`, `y`, `1` and their false twins, in lower, Capitalized or
 * UPPER case), or `undefined`. The one set every reader and check of a boolean column uses: the
 * CSV parser, the column builders of the other readers and `validate`'s declared types.
 */
export function parseBoolean(s: string): boolean | undefined {
  return BOOLEANS.get(s);
}
