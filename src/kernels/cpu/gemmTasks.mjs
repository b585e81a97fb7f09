// Plain JavaScript (no TypeScript) because worker threads load it without the tsx loader; the
// main thread imports the same file, so both sides claim and run tiles with one piece of code.
// Types: gemmTasks.d.mts.

/**
 * Layout of the Int32Array control block shared by the main thread and the GEMM workers, and the
 * tile loop they all run. Counters sit 64 bytes apart so that threads do not share cache lines.
 */
export const gemmTasks = Object.freeze({
  /** Job generation: bumped by the main thread to wake workers. */
  GEN: 0,
  /** Non-zero: workers exit. */
  STOP: 16,
  /** Next task index to claim (Atomics.add). */
  NEXT: 32,
  /** Job parameters (see PARAM_*), written before workers are let in. */
  PARAMS: 48,
  /** Set by a worker whose tile loop threw. */
  FAILED: 47,
  /** Per-worker state word at STATE + 16·slot: IDLE, BUSY, or LOCKED (kept out of the current job). */
  STATE: 64,
  IDLE: 0,
  BUSY: 1,
  LOCKED: 2,
  /** Number of int32 words the block needs for `workers` workers. */
  words(workers) {
    return 64 + 16 * Math.max(workers, 1);
  },
  /**
   * Claims tasks from NEXT until none is left and runs each: task t is the (ib, jb) block of C
   * (mcp row panels × ncp column panels), accumulated over all k blocks with the wasm kernel.
   * Packed A is [k block][row panel][p][MR], packed B [k block][col panel][p][8], C row-major
   * mPad × nPad; offsets in bytes. Returns the number of tasks this thread ran.
   */
  run(ctl, kernel) {
    const P = 48;
    const aOff = ctl[P],
      bOff = ctl[P + 1],
      cOff = ctl[P + 2],
      mP = ctl[P + 3],
      nP = ctl[P + 4];
    const k = ctl[P + 5],
      KC = ctl[P + 6],
      mPad = ctl[P + 7],
      nPad = ctl[P + 8];
    const mcp = ctl[P + 9],
      ncp = ctl[P + 10],
      mBlocks = ctl[P + 11],
      nTasks = ctl[P + 12],
      MR = ctl[P + 13];
    const ldc = nPad * 4;
    for (let done = 0; ; done++) {
      const t = Atomics.add(ctl, 32, 1);
      if (t >= nTasks) return done;
      const jb = (t / mBlocks) | 0,
        ib = t - jb * mBlocks;
      const ip0 = ib * mcp,
        mCnt = Math.min(mcp, mP - ip0);
      const jp0 = jb * ncp,
        nCnt = Math.min(ncp, nP - jp0);
      const c = cOff + (ip0 * MR * nPad + jp0 * 8) * 4;
      for (let pc = 0; pc < k; pc += KC) {
        const kc = Math.min(KC, k - pc);
        kernel(aOff + (pc * mPad + ip0 * kc * MR) * 4, bOff + (pc * nPad + jp0 * kc * 8) * 4, c, mCnt, nCnt, kc, ldc, pc === 0 ? 1 : 0);
      }
    }
  },
});
