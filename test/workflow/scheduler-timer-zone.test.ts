// The scheduler's timer runs on the system clock whatever CRM_TIME_ZONE says: the engine wraps its
// clock with the zone (kernel/clock.ts withTimeZone), and the timer is started only for the system
// clock (a manual test clock leaves runDue to the test). Compared through timeSource, a zoned system
// clock is still the system clock — compared as the object itself, a server with a zone set never
// polled its scheduler.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../engine/server/start-server.ts';
import { findWorkflowRuntime } from '../../engine/workflow/workflow-module.ts';

let server: RunningServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  server = undefined;
  dir = undefined;
});

describe('the scheduler timer and the time zone', () => {
  for (const zone of ['Asia/Shanghai', 'UTC']) {
    it(`runs on the system clock with CRM_TIME_ZONE=${zone}`, async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'crm-scheduler-zone-'));
      server = await startServer({ dataDir: dir, port: 0, env: { CRM_TIME_ZONE: zone } });
      expect(server.services.clock.timeZone ?? 'UTC').toBe(zone);
      expect(findWorkflowRuntime(server.services)?.scheduler.status).toBe('running');
    });
  }
});
