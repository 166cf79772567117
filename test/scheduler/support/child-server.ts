// A server process for the multi-process scheduler tests: the data folder from DATA_DIR, time
// from the file named by CRM_CLOCK_FILE (so that the test moves every process's clock at once),
// an ephemeral port printed as one JSON line on stdout. The scheduler's timer is off
// (CRM_SCHEDULER_INTERVAL_MS=0): the test runs due jobs with POST /api/scheduler/tick.

import { clockFromEnv } from '../../../engine/scheduler/file-clock.ts';
import { startServer } from '../../../engine/server/start-server.ts';

const server = await startServer({ dataDir: process.env['DATA_DIR']!, port: 0, clock: clockFromEnv(process.env), env: process.env });
process.stdout.write(`${JSON.stringify({ url: server.url, pid: process.pid })}\n`);
process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
