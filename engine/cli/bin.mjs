#!/usr/bin/env node
// Entry point of the `crm` command. Runs the compiled CLI (dist/server/main.js, built by
// `npm install` / `npm run build:server`) when it was built after the last change to the sources
// under engine/, and the TypeScript CLI through tsx otherwise (a checkout being worked on, or no
// build) — pick-entry.mjs. `npm run crm` always runs the TypeScript.
import { fileURLToPath } from 'node:url';
import { compiledIsFresh } from './pick-entry.mjs';

const compiled = new URL('../../dist/server/main.js', import.meta.url);
if (compiledIsFresh(fileURLToPath(compiled), fileURLToPath(new URL('..', import.meta.url)))) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./main.ts');
}
