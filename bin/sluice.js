#!/usr/bin/env node
// The `sluice` command. Sources are TypeScript, loaded through tsx so no build step is needed.
process.env.EGL_PLATFORM ??= 'surfaceless';
const { register } = await import('tsx/esm/api');
register();
await import('../src/cli/main.ts');
