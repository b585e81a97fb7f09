// Entry of an Adaptive Random Forest worker thread (started by ArfWorkerPool) when sluice runs
// from its sources; the package is to start dist/arfWorker.mjs, a bundle of arfWorkerEntry.ts.
// Same scheme as src/io/csv/csvWorker.mjs: a fresh bundle when a clone has been built, else tsx.
import { fileURLToPath } from 'node:url';
import { isFresh } from '../isFresh.mjs';

const bundle = new URL('../../dist/arfWorker.mjs', import.meta.url);
if (isFresh(fileURLToPath(bundle), fileURLToPath(new URL('../', import.meta.url)))) {
  await import(bundle.href);
} else {
  // rxjs and apache-arrow (pulled in by core) load first, without tsx's hooks in the way (as
  // csvWorker.mjs does): through them loading costs more CPU.
  await Promise.all([import('rxjs'), import('apache-arrow')]);
  // A worker cannot load TypeScript by itself: tsx, with the project's tsconfig named explicitly.
  const { register } = await import('tsx/esm/api');
  register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
  const { arfWorkerMain } = await import('./arfWorkerMain.ts');
  arfWorkerMain();
}
