// Entry of fromCsv's parse thread (started by CsvParseThread) when sluice runs from its sources.
// The package has no tsx: there dist/csvWorker.mjs is a prebuilt bundle of csvWorkerEntry.ts.
import { fileURLToPath } from 'node:url';
import { isFresh } from '../../isFresh.mjs';

// A clone that has been built (npm run build) starts the bundle when it is newer than every
// source file: about 0.1 s and 20-30 MB less than through tsx (bench ingest, 2026-12-02).
// A stale or missing bundle is never used; a scan of src/ costs a few ms.
const bundle = new URL('../../../dist/csvWorker.mjs', import.meta.url);
if (isFresh(fileURLToPath(bundle), fileURLToPath(new URL('../../', import.meta.url)))) {
  await import(bundle.href);
} else {
  // rxjs and apache-arrow (pulled in by core) load first, without tsx's hooks in the way: through
  // them loading costs more CPU, and start-up decides which files are worth a thread.
  await Promise.all([import('rxjs'), import('apache-arrow')]);
  // A worker cannot load TypeScript by itself: tsx, with the project's tsconfig named explicitly
  // so it works whatever the current directory.
  const { register } = await import('tsx/esm/api');
  register({ tsconfig: fileURLToPath(new URL('../../../tsconfig.json', import.meta.url)) });
  const { csvWorkerMain } = await import('./csvWorkerMain.ts');
  await csvWorkerMain();
}
