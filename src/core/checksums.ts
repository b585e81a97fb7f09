import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SourceError } from './SourceError.js';
import { writeFileAtomic } from './writeFileAtomic.js';

/** The checksum file of a saved model directory, in `sha256sum` format (`sha256sum -c SHA256SUMS` checks it). */
const SUMS = 'SHA256SUMS';

/**
 * SHA-256 checksums of the files of a directory that belong together (a saved pipeline and its
 * report): `write` records them in DIR/SHA256SUMS, `verify` refuses a file whose bytes changed
 * since. A directory without SHA256SUMS (saved before checksums) verifies as it is.
 */
export const checksums = Object.freeze({
  FILE: SUMS,

  /** Records the files' checksums (names relative to dir), replacing any earlier record. */
  write(dir: string, names: readonly string[]): void {
    const lines = names.map((n) => `${sha256(readFileSync(join(dir, n)))}  ${n}`);
    writeFileAtomic(join(dir, SUMS), `${lines.join('\n')}\n`);
  },

  /**
   * The bytes of `path`, after checking them against the SHA256SUMS beside it, if any: a
   * SourceError names the file and both sums when they differ (the file was edited or damaged).
   */
  read(path: string): Buffer {
    const bytes = readFileSync(path);
    const sums = join(dirname(path), SUMS);
    if (!existsSync(sums)) return bytes;
    const name = basename(path);
    const line = readFileSync(sums, 'utf8')
      .split('\n')
      .find((l) => l.slice(64).replace(/^ [ *]/, '') === name);
    if (!line) return bytes;
    const want = line.slice(0, 64),
      got = sha256(bytes);
    if (want !== got) throw new SourceError(path, `checksum mismatch: ${SUMS} says ${want}, the file has ${got}; it was changed or damaged after it was saved`);
    return bytes;
  },

  /**
   * Checks every file SHA256SUMS in dir lists: a SourceError names the file and both sums when
   * one differs, the file when it is missing, and the directory when it has no SHA256SUMS or a
   * malformed line. Returns the names checked, in the order listed.
   */
  verify(dir: string): string[] {
    const sums = join(dir, SUMS);
    if (!existsSync(sums)) throw new SourceError(dir, `no ${SUMS} here: the files cannot be checked`);
    const names: string[] = [];
    for (const line of readFileSync(sums, 'utf8').split('\n')) {
      if (line === '') continue;
      const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
      if (!m) throw new SourceError(sums, `malformed line ${JSON.stringify(line)}; expected "<sha256>  <name>"`);
      const want = m[1]!,
        name = m[2]!,
        path = join(dir, name);
      if (!existsSync(path)) throw new SourceError(path, `missing: ${SUMS} lists it, the file is gone`);
      const got = sha256(readFileSync(path));
      if (want !== got)
        throw new SourceError(path, `checksum mismatch: ${SUMS} says ${want}, the file has ${got}; it was changed or damaged after it was saved`);
      names.push(name);
    }
    return names;
  },
});

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
