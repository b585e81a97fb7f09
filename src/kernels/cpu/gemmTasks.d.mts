type Kernel = (ap: number, bp: number, ct: number, mPanels: number, nPanels: number, kc: number, ldc: number, first: number) => void;

/** Control-block layout shared with the GEMM workers and the tile loop they run (gemmTasks.mjs). */
export declare const gemmTasks: Readonly<{
  GEN: number;
  STOP: number;
  NEXT: number;
  PARAMS: number;
  FAILED: number;
  STATE: number;
  IDLE: number;
  BUSY: number;
  LOCKED: number;
  words(workers: number): number;
  run(ctl: Int32Array, kernel: Kernel): number;
}>;
