// Entry of the dashboard's render worker (started by dashboard()) when sluice runs from its
// sources. The package has no tsx: there dist/dashboardWorker.mjs is a prebuilt bundle of
// dashboardWorkerEntry.ts, which sets the thread's nice value and loads the renderer.
import { fileURLToPath } from 'node:url';

// React picks its build when first loaded: the production one draws several times faster.
process.env.NODE_ENV ??= 'production';
// ink, React and their dependencies load first, without tsx's hooks in the way: through them
// start-up costs about 1.6 times the CPU.
await Promise.all([import('ink'), import('react'), import('react/jsx-runtime')]);
// A worker cannot load TypeScript by itself: tsx, with the project's tsconfig named explicitly
// (JSX settings) so it works whatever the current directory.
const { register } = await import('tsx/esm/api');
register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
await import('./dashboardWorkerEntry.ts');
