// Shared by the thread entries that start from the sources (src/io/csv/csvWorker.mjs,
// src/trees/arfWorker.mjs): plain JavaScript, because it runs before tsx is registered.
import { readdirSync, statSync } from 'node:fs';

/** Whether `file` exists and is newer than every file under `dir` (a bundle built after the last edit). */
export function isFresh(file, dir) {
  let built;
  try {
    built = statSync(file).mtimeMs;
  } catch {
    return false;
  }
  const newer = (d) =>
    readdirSync(d, { withFileTypes: true }).some((e) => {
      const p = `${d}/${e.name}`;
      return e.isDirectory() ? newer(p) : statSync(p).mtimeMs > built;
    });
  return !newer(dir);
}
