// "Today" is the organisation's day (CRM_TIME_ZONE), wherever the engine makes one: a date field's
// `$today()` default and a formula reading `$today()`, a view's `$today` filter (a date field and a
// datetime field), a dashboard widget's "$today - 7 days", and the daily retention run's midnight.
// At 2026-03-01T20:30Z it is already 04:30 on 2 March in Shanghai, while the UTC day is still
// 1 March: the same requests on a server with CRM_TIME_ZONE=Asia/Shanghai and on one without it
// (UTC, the default) must give each its own day.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../engine/kernel/clock.ts';
import { jobsCollection } from '../../engine/scheduler/jobs.ts';
import { findWorkflowRuntime } from '../../engine/workflow/workflow-module.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { applyMetadata, query } from './api-helpers.ts';

const instant = '2026-03-01T20:30:00.000Z';

const task = {
  kind: 'entity', name: 'tzTask', label: { en: 'Task', zh: '任务' }, titleField: 'name',
  privacy: { retentionDays: 365, retentionAction: 'delete' },
  fields: {
    name: { type: 'text', required: true },
    due: { type: 'date', defaultExpression: '$today()' },
    followUp: { type: 'date', defaultExpression: '$today(1)' },
    startsAt: { type: 'datetime' },
    late: { type: 'formula', returns: 'boolean', expression: 'due < $today()' },
  },
};
const view = (name: string, filter: unknown) => ({ kind: 'view', name, entity: 'tzTask', label: name, type: 'list', columns: { name: { order: 10 } }, filter, sort: 'name' });
const dashboard = {
  kind: 'dashboard', name: 'tzWeek', title: { en: 'This week', zh: '本周' },
  widgets: {
    lastWeek: { type: 'metric', title: 'Due in the last 7 days', entity: 'tzTask', filter: { due: { $gte: '$today - 7 days' } }, measure: { op: 'count' }, layout: { x: 0, y: 0, w: 4, h: 2 } },
    recent: { type: 'table', title: 'Recent', entity: 'tzTask', filter: { due: { $gte: '$today - 7 days' } }, columns: ['name'], sort: 'name', limit: 20, layout: { x: 4, y: 0, w: 4, h: 2 } },
  },
};

const cases = [
  { zone: 'Asia/Shanghai', env: { CRM_TIME_ZONE: 'Asia/Shanghai' }, today: '2026-03-02', tomorrow: '2026-03-03', weekAgo: '2026-02-23', dayStart: '2026-03-01T16:00:00.000Z', nextRun: { id: 'privacy-retention-2026-03-03', dueAt: '2026-03-02T16:00:00.000Z' } },
  { zone: 'UTC (default)', env: {}, today: '2026-03-01', tomorrow: '2026-03-02', weekAgo: '2026-02-22', dayStart: '2026-03-01T00:00:00.000Z', nextRun: { id: 'privacy-retention-2026-03-02', dueAt: '2026-03-02T00:00:00.000Z' } },
] as const;

describe.each(cases)('today in $zone', (c) => {
  let server: TestServer;
  const names = (body: { items: { name: string }[] }) => body.items.map((r) => r.name);

  beforeAll(async () => {
    server = await startTestServer({ clock: new ManualClock(instant), env: c.env });
    await applyMetadata(server, [task,
      view('tzDueByToday', { due: { $lte: '$today' } }),
      view('tzStartsToday', { startsAt: { $gte: '$today', $lt: '$today + 1 day' } }),
      dashboard,
    ]);
    const rows = [
      { name: 'feb22', due: '2026-02-22' },
      { name: 'feb23', due: '2026-02-23' },
      { name: 'mar01', due: '2026-03-01', startsAt: '2026-03-01T15:00:00Z' }, // 23:00 on 1 March in Shanghai
      { name: 'mar02', due: '2026-03-02', startsAt: '2026-03-01T17:00:00Z' }, // 01:00 on 2 March in Shanghai
      { name: 'mar03', due: '2026-03-03' },
    ];
    for (const row of rows) expect((await server.post('/api/data/tzTask', row)).status).toBe(201);
  });
  afterAll(async () => server?.close());

  it('a date field defaulting to $today() (and $today(1)) gets the day, and a formula compares with it', async () => {
    const created = await server.post('/api/data/tzTask', { name: 'defaulted' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ due: c.today, followUp: c.tomorrow, late: false });
    const given = await server.post('/api/data/tzTask', { name: 'given', due: '2026-03-01' });
    expect(given.body.late).toBe(c.today === '2026-03-02');
    for (const id of [created.body.id, given.body.id]) expect((await server.delete(`/api/data/tzTask/${id}`)).status).toBe(204);
  });

  it('a view filtered {"due": {"$lte": "$today"}} lists the records due up to the day', async () => {
    const res = await server.get(`/api/data/tzTask${query({ view: 'tzDueByToday' })}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(names(res.body)).toEqual(['feb22', 'feb23', 'mar01', ...(c.today === '2026-03-02' ? ['mar02'] : [])]);
  });

  it('$today on a datetime field is the instant the day began in the zone', async () => {
    const res = await server.get(`/api/data/tzTask${query({ view: 'tzStartsToday' })}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // Shanghai's 2 March began at 16:00Z on 1 March: only the task starting at 17:00Z is today's.
    expect(names(res.body)).toEqual(c.today === '2026-03-02' ? ['mar02'] : ['mar01', 'mar02']);
  });

  it('a dashboard widget filtered "$today - 7 days" counts from a week before the day', async () => {
    const res = await server.get('/api/dashboards/tzWeek');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const { lastWeek, recent } = res.body.widgets;
    expect(lastWeek.drill).toEqual({ due: { $gte: c.weekAgo } });
    expect(lastWeek.value).toBe(c.weekAgo === '2026-02-23' ? 4 : 5);
    expect(recent.items.map((r: { name: string }) => r.name)).toEqual(c.weekAgo === '2026-02-23' ? ['feb23', 'mar01', 'mar02', 'mar03'] : ['feb22', 'feb23', 'mar01', 'mar02', 'mar03']);
  });

  it('the daily retention run is due at the zone\'s midnight, keyed by its day', async () => {
    const scheduler = findWorkflowRuntime(server.server.services)!.scheduler;
    await scheduler.runDue();
    const next = await server.server.store.get(jobsCollection.name, c.nextRun.id);
    expect(next?.data, c.nextRun.id).toMatchObject({ kind: 'privacyRetention', status: 'pending', dueAt: c.nextRun.dueAt });
    // Today's run was due at the day's start, and has run.
    const todays = await server.server.store.get(jobsCollection.name, `privacy-retention-${c.today}`);
    expect(todays?.data).toMatchObject({ dueAt: c.dayStart, status: 'done' });
  });
});
