// scripts/build-server: compiles the server to JavaScript (esbuild) into dist/server/ — run by
// `npm install` (prepare → build) and `npm run build:server`; `npm start` runs the result with node.
//
// Three entry points, bundled with the engine code they import:
//  - dist/server/main.js        the `crm` command (engine/cli/main.ts): `node dist/server/main.js serve`
//  - dist/server/read-worker.js the read pool's worker thread (engine/store/sqlite/read-worker.ts),
//                               which read-pool.ts looks for next to itself with its own extension
//  - dist/server/map-worker.js  an import's reading and mapping thread (engine/import/map-worker.ts),
//                               found the same way by engine/import/pipeline-source.ts
// plus chunks beside them: code both share, and modules the engine imports lazily (the MongoDB
// adapter, the SDK generator), which stay lazy — their packages load only when used.
// Packages stay external: node resolves them from node_modules as usual (better-sqlite3 and argon2
// are native) — except in the import's map worker, a thread started for each import: it is built on
// its own with its packages inside (ajv, libphonenumber-js, csv-parse, jsonata: hundreds of small
// files), for node's ESM loader took ~0.5 s of the thread's start to load them one by one, which an
// import of 10,000 rows could not win back (bench/RESULTS.md, 2026-12-05 evening). The engine finds schemas/,
// industry-templates/, studio/dist/ and package.json two folders up from its module
// (`new URL('../../…', import.meta.url)`): from dist/server/ that is the project root, as from
// engine/<folder>/ — so the output folder must stay two levels deep.

import { build } from 'esbuild';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const serverOutDir = path.join(root, 'dist', 'server');

/** The server's entry points: the CLI and the two worker threads, each found beside the module that starts it. */
export const serverEntryPoints: Readonly<Record<string, string>> = { main: 'engine/cli/main.ts', 'read-worker': 'engine/store/sqlite/read-worker.ts', 'map-worker': 'engine/import/map-worker.ts' };

/** Entry points built on their own with their packages inside (see above): the import's map worker. */
const selfContained = new Set(['map-worker']);
/** What a self-contained entry still loads from node_modules: packages it loads lazily, for a workbook only. */
const loadedFromNodeModules = ['exceljs', 'unzipper', 'saxes'];

/**
 * `outDir`: two folders below the project root (tests build into dist/<their own>/). `entryPoints`:
 * the server's by default; a benchmark bundles its own entry with the worker threads, built the way
 * the server is, so that it measures the code as shipped (bench/import.ts).
 */
export async function buildServer(outDir: string = serverOutDir, entryPoints: Readonly<Record<string, string>> = serverEntryPoints): Promise<{ files: string[]; ms: number }> {
  if (path.dirname(path.dirname(path.resolve(outDir))) !== root) throw new Error(`${outDir}: the build must sit two folders below ${root}`);
  const started = performance.now();
  await rm(outDir, { recursive: true, force: true });
  const shared = Object.fromEntries(Object.entries(entryPoints).filter(([name]) => !selfContained.has(name)));
  const alone = Object.fromEntries(Object.entries(entryPoints).filter(([name]) => selfContained.has(name)));
  const result = await build({
    absWorkingDir: root,
    entryPoints: shared,
    outdir: outDir,
    bundle: true,
    // Without splitting, a lazily imported module's packages (mongodb; openapi-typescript, which loads
    // the TypeScript compiler) would be imported by main.js at start.
    splitting: true,
    // Beside the entry points: code in them resolves paths relative to its own file (see above).
    chunkNames: '[name]-[hash]',
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    packages: 'external',
    sourcemap: 'linked',
    // Stack traces name the source files when node runs with --enable-source-maps.
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
  });
  const selfContainedResult = Object.keys(alone).length === 0 ? undefined : await build({
    absWorkingDir: root,
    entryPoints: alone,
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    external: loadedFromNodeModules,
    // A CommonJS package bundled into an ES module may still require node's own modules.
    banner: { js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);" },
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
  });
  // Marks the folder as ES modules whatever a parent package.json says.
  await writeFile(path.join(outDir, 'package.json'), '{ "type": "module" }\n');
  const outputs = [...Object.keys(result.metafile.outputs), ...Object.keys(selfContainedResult?.metafile.outputs ?? {})];
  return { files: outputs.filter((f) => f.endsWith('.js')).map((f) => path.relative(root, path.resolve(root, f))), ms: performance.now() - started };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { files, ms } = await buildServer();
  process.stdout.write(`server built in ${Math.round(ms)} ms: ${files.join(', ')}\n`);
}
