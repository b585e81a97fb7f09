/** A command line that cannot be understood: exit status 2 with the command's usage. */
export class UsageError extends Error {
  override name = 'UsageError';
}
