// cli/serve: `crm serve` — one server process, or with CRM_WORKERS=N a primary that forks N
// workers sharing one port (node's cluster module; the primary hands connections out round-robin).
// Every worker opens the same data folder: SQLite serializes writes across processes (BEGIN
// IMMEDIATE with a busy timeout), jobs are leased, and a worker checks the store's metadata
// revision on every request so a change applied through one worker is seen by the next request on
// any other. SIGTERM (or SIGINT) stops gracefully: see RunningServer.shutdown.

import cluster from 'node:cluster';
import path from 'node:path';
import { log } from '../kernel/log.ts';
import { engineVersion } from '../kernel/engine-version.ts';
import { startServer } from '../server/start-server.ts';
import type { Settings } from '../settings/settings.ts';
import { warnIfBuildIsStale } from '../ops/build-freshness.ts';

export async function serve(settings: Settings): Promise<void> {
  if (cluster.isPrimary) void warnIfBuildIsStale();
  if (settings.workers > 1 && cluster.isPrimary) return runPrimary(settings);
  const server = await startServer({ port: settings.port, host: settings.host, settings, dataDir: settings.dataDir, ...(settings.mongodbUri ? { mongodbUri: settings.mongodbUri } : {}) });
  if (cluster.isWorker) server.runtime.refreshIntervalMs = 0;
  log.event('info', { url: `http://localhost:${server.port}`, store: server.store.kind, version: engineVersion }, `CRM engine ${engineVersion} on http://localhost:${server.port} (${server.store.kind} store${settings.mongodbUri ? '' : ` in ${path.resolve(settings.dataDir)}`})`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping`);
    server.shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error('shutdown failed:', (error as Error).stack ?? String(error));
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // A cluster worker is told by its primary (which got the signal).
  if (cluster.isWorker) process.on('message', (message) => message === 'shutdown' && stop('shutdown'));
}

/** Forks the workers — the first alone (it creates the store and the first administrator), then the rest — and restarts one that dies. */
async function runPrimary(settings: Settings): Promise<void> {
  let stopping = false;
  const fork = () =>
    new Promise<void>((resolve, reject) => {
      const worker = cluster.fork();
      worker.once('listening', () => resolve());
      worker.once('exit', (code, signal) => {
        if (stopping) return;
        log.error(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
        reject(new Error(`worker exited before listening (${signal ?? code})`));
        setTimeout(() => void fork().catch(() => undefined), 1000).unref();
      });
    });
  log.info(`primary ${process.pid}: starting ${settings.workers} workers`);
  await fork();
  await Promise.all(Array.from({ length: settings.workers - 1 }, fork));
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping ${Object.keys(cluster.workers ?? {}).length} workers`);
    const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
    let left = workers.length;
    let failed = false;
    if (left === 0) process.exit(0);
    for (const worker of workers) {
      worker.once('exit', (code) => {
        if (code !== 0) failed = true;
        if (--left === 0) process.exit(failed ? 1 : 0);
      });
      worker.send('shutdown');
    }
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
