export interface CliIO {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** One `sluice` command: its help and its action, resolving to the exit status. */
export interface Command {
  summary: string;
  usage: string;
  run(args: string[], io: CliIO): Promise<number>;
}
