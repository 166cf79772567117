// Backups through the API (admins): POST /api/backups writes an archive into <data>/backups,
// GET /api/backups lists them, GET /api/backups/{name} downloads one. The same archive as `crm backup`.
// GET/PUT /api/backups/schedule: automatic backups run by the in-server scheduler (backup-schedule.ts).

import path from 'node:path';
import { readdir, stat } from 'node:fs/promises';
import { Router } from 'express';
import { contextFor } from '../http/http-context.ts';
import { checkQueryParameters } from '../http/http-helpers.ts';
import { adminOnly, type ApiFragment, errorResponses, itemsOf, jsonRequestBody, jsonResponse, objectOf, pathParameter, stringSchema } from '../http/openapi-fragment.ts';
import { CrmError } from '../kernel/errors.ts';
import type { EngineModule } from '../capability/engine-module.ts';
import { engineVersion } from '../kernel/engine-version.ts';
import { createBackup } from './backup-archive.ts';
import { findWorkflowRuntime } from '../workflow/workflow-module.ts';
import { backupScheduleCollection, checkSchedule, enqueueNextBackup, loadSchedule, runScheduledBackup, saveSchedule, scheduledBackupJobKind } from './backup-schedule.ts';

const namePattern = /^backup-(auto-)?[0-9TZ-]+\.tar\.gz$/;
const tags = ['backup'];

const scheduleSchema = objectOf({ enabled: { type: 'boolean' }, everyHours: { type: 'integer', minimum: 1, maximum: 744 }, keep: { type: 'integer', minimum: 1, maximum: 100 } }, ['enabled', 'everyHours', 'keep']);

const backupApi: ApiFragment = {
  paths: {
    '/api/backups': {
      post: adminOnly({ operationId: 'createBackup', summary: 'Write a backup archive of the data folder while the server runs (SQLite online backup, files, manifest with checksums)', tags, responses: { '201': jsonResponse('Written', objectOf({ name: stringSchema, bytes: { type: 'integer' }, manifest: { type: 'object' } }, ['name', 'manifest'])), ...errorResponses(400, 401, 403, 409) } }),
      get: adminOnly({ operationId: 'listBackups', summary: 'Backup archives in the data folder', tags, responses: { '200': jsonResponse('Archives', itemsOf(objectOf({ name: stringSchema, bytes: { type: 'integer' } }))), ...errorResponses(400, 401, 403) } }),
    },
    '/api/backups/schedule': {
      get: adminOnly({ operationId: 'getBackupSchedule', summary: 'The automatic backup schedule', tags, responses: { '200': jsonResponse('The schedule', scheduleSchema), ...errorResponses(400, 401, 403) } }),
      put: adminOnly({ operationId: 'setBackupSchedule', summary: 'Set the automatic backup schedule: every N hours (slots aligned on UTC multiples of N hours), keeping the last K automatic archives', tags, requestBody: jsonRequestBody(scheduleSchema), responses: { '200': jsonResponse('The schedule', scheduleSchema), ...errorResponses(400, 401, 403) } }),
    },
    '/api/backups/{name}': {
      get: adminOnly({ operationId: 'downloadBackup', summary: 'Download a backup archive', tags, parameters: [pathParameter('name', 'The archive name')], responses: { '200': { description: 'The archive', content: { 'application/gzip': { schema: { type: 'string', format: 'binary' } } } }, ...errorResponses(400, 401, 403, 404) } }),
    },
  },
};

export const backupModule: EngineModule = {
  name: 'backup',
  collections: [backupScheduleCollection],
  start(engine) {
    const scheduler = () => findWorkflowRuntime(engine)?.scheduler;
    const router = Router();
    const deps = () => ({ runtime: engine.runtime, clock: engine.clock, policy: engine.policy, authenticate: engine.authenticate });
    const dir = () => {
      if (!engine.dataDir || engine.store.kind !== 'sqlite') throw new CrmError('CONFLICT', { en: 'Backups are made of the embedded store; back up MongoDB with its own tools', zh: '仅内置存储支持备份；MongoDB 请使用其自带工具备份' });
      return path.join(engine.dataDir, 'backups');
    };
    router.post('/', async (req, res) => {
      const ctx = await contextFor(req, res, deps());
      ctx.policy.assertAdmin(ctx.principal);
      checkQueryParameters(req, []);
      // Named from the engine's clock, as the scheduled ones are; a second one in the same millisecond gets a number.
      const now = ctx.clock.now();
      const stamp = now.toISOString().replace(/[:.]/g, '-');
      let name = `backup-${stamp}.tar.gz`;
      for (let n = 2; await stat(path.join(dir(), name)).catch(() => undefined); n++) name = `backup-${stamp}-${n}.tar.gz`;
      const archive = path.join(dir(), name);
      const manifest = await createBackup({ dataDir: engine.dataDir!, archive, engineVersion, now });
      res.status(201).json({ name, bytes: (await stat(archive)).size, manifest });
    });
    router.get('/', async (req, res) => {
      const ctx = await contextFor(req, res, deps());
      ctx.policy.assertAdmin(ctx.principal);
      checkQueryParameters(req, []);
      const names = (await readdir(dir()).catch((): string[] => [])).filter((n) => namePattern.test(n)).sort();
      res.json({ items: await Promise.all(names.map(async (name) => ({ name, bytes: (await stat(path.join(dir(), name))).size }))) });
    });
    router.get('/schedule', async (req, res) => {
      const ctx = await contextFor(req, res, deps());
      ctx.policy.assertAdmin(ctx.principal);
      checkQueryParameters(req, []);
      const { enabled, everyHours, keep } = await loadSchedule(engine.store);
      res.json({ enabled, everyHours, keep });
    });
    router.put('/schedule', async (req, res) => {
      const ctx = await contextFor(req, res, deps());
      ctx.policy.assertAdmin(ctx.principal);
      checkQueryParameters(req, []);
      dir();
      const { schedule, issues } = checkSchedule(req.body, ctx.locale);
      if (!schedule) throw new CrmError('BAD_REQUEST', undefined, issues);
      await saveSchedule(engine.store, { ...schedule, updatedAt: ctx.clock.now().toISOString(), updatedBy: ctx.principal.id });
      const running = scheduler();
      if (running) await enqueueNextBackup(running, schedule);
      res.json(schedule);
    });
    router.get('/:name', async (req, res) => {
      const ctx = await contextFor(req, res, deps());
      ctx.policy.assertAdmin(ctx.principal);
      checkQueryParameters(req, []);
      const name = String(req.params['name']);
      const file = path.join(dir(), name);
      if (!namePattern.test(name) || !(await stat(file).catch(() => undefined))) throw new CrmError('NOT_FOUND', { en: `No backup "${name}"`, zh: `没有备份「${name}」` });
      res.type('application/gzip').sendFile(file);
    });
    return {
      routes: [{ path: '/api/backups', router }],
      openapi: backupApi,
      afterListen() {
        // The scheduler belongs to the workflow module, which starts after this one.
        const running = scheduler();
        if (!running || !engine.dataDir || engine.store.kind !== 'sqlite') return;
        const dataDir = engine.dataDir;
        running.register(scheduledBackupJobKind, async ({ now, job }) => runScheduledBackup({ store: engine.store, dataDir, engineVersion, now, slot: new Date(job.dueAt), payload: job.payload }));
        running.onBeforeRun(async () => enqueueNextBackup(running, await loadSchedule(engine.store)));
      },
    };
  },
};
