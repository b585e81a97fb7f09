// Entry of fromCsv's parse thread (started by CsvParseThread) when sluice runs from its sources.
// The package has no tsx: there dist/csvWorker.mjs is a prebuilt bundle of csvWorkerEntry.ts.
import { fileURLToPath } from 'node:url';

// rxjs and apache-arrow (pulled in by core) load first, without tsx's hooks in the way: through
// them loading costs more CPU, and start-up decides which files are worth a thread.
await Promise.all([import('rxjs'), import('apache-arrow')]);
// A worker cannot load TypeScript by itself: tsx, with the project's tsconfig named explicitly
// so it works whatever the current directory.
const { register } = await import('tsx/esm/api');
register({ tsconfig: fileURLToPath(new URL('../../../tsconfig.json', import.meta.url)) });
const { csvWorkerMain } = await import('./csvWorkerMain.ts');
await csvWorkerMain();
