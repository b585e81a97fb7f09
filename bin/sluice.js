#!/usr/bin/env node
// The `sluice` command. Sources are TypeScript, loaded through tsx so no build step is needed.
// The project's tsconfig is named so JSX compiles the same from any working directory.
import { fileURLToPath } from 'node:url';
process.env.EGL_PLATFORM ??= 'surfaceless';
const { register } = await import('tsx/esm/api');
register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import('../src/cli/main.ts');
