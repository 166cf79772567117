// The designer's server routes over real HTTP: a field's type change (text → picklist) whose
// preview counts equal what apply converts, a formula's value on a
// sample record before saving, and bad input answered 4xx with the field's pointer.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { expectError } from './api-helpers.ts';

let server: TestServer;

const ticket = {
  kind: 'entity',
  name: 'ticket',
  label: { en: 'Ticket', zh: '工单' },
  titleField: 'title',
  fields: {
    title: { type: 'text', required: true },
    channel: { type: 'text', maxLength: 40 },
    hours: { type: 'number' },
    rate: { type: 'number' },
    cost: { type: 'formula', returns: 'number', expression: 'hours * rate' },
  },
  rules: { noLongTitles: { when: '$length(title) > 30', message: { en: 'Title too long', zh: '标题过长' }, field: 'title' } },
};
const ticketForm = { kind: 'form', name: 'ticketMain', entity: 'ticket', label: 'Ticket', default: true, sections: { main: { order: 1, fields: { title: { order: 1 }, channel: { order: 2, visibleWhen: "channel != 'x'" } } } } };
const ticketView = { kind: 'view', name: 'tickets', entity: 'ticket', label: 'Tickets', type: 'list', columns: { title: { order: 1 }, channel: { order: 2 } }, sort: 'channel' };

const channels = ['Phone', 'phone', 'e-mail', 'Email', 'walk-in', 'fax', '', undefined, 'Phone', 'EMAIL'];

beforeAll(async () => {
  server = await startTestServer();
  const applied = await server.post('/api/meta/apply', [ticket, ticketForm, ticketView]);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  for (const [i, channel] of channels.entries()) {
    const res = await server.post('/api/data/ticket', { title: `T${i}`, hours: i, rate: 10, ...(channel !== undefined ? { channel } : {}) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
});
afterAll(async () => server?.close());

const toPicklist = {
  type: 'picklist',
  label: { en: 'Channel', zh: '渠道' },
  options: { phone: { label: { en: 'Phone', zh: '电话' }, color: '#1677ff' }, email: { label: { en: 'E-mail', zh: '邮件' } }, web: { label: { en: 'Web', zh: '网页' } } },
};

describe('change a field type', () => {
  it('previews text → picklist with counts, changing nothing', async () => {
    const res = await server.post('/api/meta/refactor/change-type', { entity: 'ticket', field: 'channel', definition: toPicklist });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.valid).toBe(true);
    // 'Phone', 'phone', 'Phone' → phone; 'Email' by key, 'e-mail' and 'EMAIL' by label/key ignoring case.
    expect(res.body.preview).toMatchObject({ records: 10, withValue: 8, converting: 6, failing: 2, lost: 0 });
    expect(res.body.preview.unmatched.map((u: { value: string }) => u.value).sort()).toEqual(['fax', 'walk-in']);
    const still = await server.get('/api/meta/entities/ticket');
    expect(still.body.fields.channel.type).toBe('text');
  });

  it('refuses to apply over failing values when asked to (the dry run says so first), and converts on apply', async () => {
    const dryRefused = await server.post('/api/meta/refactor/change-type', { entity: 'ticket', field: 'channel', definition: toPicklist, onFailure: 'refuse' });
    expect(dryRefused.status, JSON.stringify(dryRefused.body)).toBe(200);
    expect(dryRefused.body.valid).toBe(false);
    expect(dryRefused.body.issues.map((i: { path: string }) => i.path)).toEqual(['/onFailure']);
    const refused = await server.post('/api/meta/refactor/change-type', { entity: 'ticket', field: 'channel', definition: toPicklist, onFailure: 'refuse', apply: true });
    expect(expectError(refused, 409).map((d) => d.path)).toEqual(['/onFailure']);
    const versionsBefore = Object.fromEntries(((await server.get('/api/data/ticket?limit=100')).body.items as { id: string; version: number }[]).map((r) => [r.id, r.version]));
    const preview = (await server.post('/api/meta/refactor/change-type', { entity: 'ticket', field: 'channel', definition: toPicklist })).body.preview;
    const applied = await server.post('/api/meta/refactor/change-type', { entity: 'ticket', field: 'channel', definition: toPicklist, apply: true });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    // The dry run's counts are apply's: the same walk, rehearsed in a rolled-back transaction.
    expect(applied.body.preview).toEqual(preview);
    // 5 converted spellings, 2 failing cleared, and the empty one cleared: what the dry run counted as changed.
    expect(preview).toMatchObject({ converting: 6, failing: 2, changed: 8 });
    expect(applied.body.converted).toBe(preview.changed);
    const rows = (await server.get('/api/data/ticket?limit=100')).body.items as { id: string; version: number; title: string; channel?: string }[];
    // Over the real records: exactly `changed` of them were rewritten.
    expect(rows.filter((r) => r.version !== versionsBefore[r.id]).length).toBe(preview.changed);
    const entity = await server.get('/api/meta/entities/ticket');
    expect(entity.body.fields.channel.type).toBe('picklist');
    const byTitle = Object.fromEntries(rows.map((r) => [r.title, r.channel ?? null]));
    expect(byTitle).toEqual({ T0: 'phone', T1: 'phone', T2: 'email', T3: 'email', T4: null, T5: null, T6: null, T7: null, T8: 'phone', T9: 'email' });
    // Converted records can be written again (their values are valid options).
    const t0 = rows.find((r) => r.title === 'T0')!;
    const patched = await server.patch(`/api/data/ticket/${t0.id}`, { hours: 2 }, { 'if-match': `"${t0.version}"` });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  });

  it('number → integer: values rounded are counted lost, and apply rounds exactly those', async () => {
    for (const [i, rate] of [12.5, 7.25, 3].entries()) {
      const res = await server.post('/api/data/ticket', { title: `R${i}`, rate });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const definition = { type: 'integer', label: { en: 'Rate', zh: '费率' } };
    const preview = (await server.post('/api/meta/refactor/change-type', { entity: 'ticket', field: 'rate', definition })).body.preview;
    expect(preview).toMatchObject({ records: 13, withValue: 13, converting: 13, failing: 0, lost: 2, changed: 2 });
    const applied = await server.post('/api/meta/refactor/change-type', { entity: 'ticket', field: 'rate', definition, apply: true });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body.preview).toEqual(preview);
    expect(applied.body.converted).toBe(2);
    const rates = ((await server.get('/api/data/ticket?limit=100')).body.items as { title: string; rate: number }[]).filter((r) => r.title.startsWith('R')).map((r) => r.rate).sort((a, b) => a - b);
    expect(rates).toEqual([3, 7, 13]);
  });

  it('answers bad input with the pointer of what is wrong', async () => {
    expect(expectError(await server.post('/api/meta/refactor/change-type', { entity: 'ticket', field: 'nope', definition: { type: 'text' } }), 400).map((d) => d.path)).toEqual(['/field']);
    expect(expectError(await server.post('/api/meta/refactor/change-type', { entity: 'ticket', field: 'title', definition: {} }), 400).map((d) => d.path)).toEqual(['/definition']);
    expect(expectError(await server.post('/api/meta/refactor/change-type', { entity: 'ticket', field: 'title', definition: { type: 'formula', returns: 'text', expression: '1' } }), 400).map((d) => d.path)).toEqual(['/definition/type']);
    expect(expectError(await server.post('/api/meta/refactor/change-type', { entity: 'ticket', field: 'title', definition: { type: 'text' }, apply: 'yes' }), 400).map((d) => d.path)).toEqual(['/apply']);
    const invalid = await server.post('/api/meta/refactor/change-type', { entity: 'ticket', field: 'title', definition: { type: 'picklist', options: {} } });
    expect(invalid.status).toBe(200);
    expect(invalid.body.valid).toBe(false);
    expect(invalid.body.issues[0].path).toContain('/fields/title/options');
  });
});

describe('change a field type into a date', () => {
  const written = ['2024-03-05', '2024/3/6', '2025-01-01T23:30:00Z', 'Room 12', '2024-02-30'];

  beforeAll(async () => {
    expect((await server.put('/api/meta/entities/visit', { kind: 'entity', name: 'visit', label: 'Visit', fields: { note: { type: 'text' }, days: { type: 'number' } } })).status).toBe(201);
    for (const [i, note] of written.entries()) expect((await server.post('/api/data/visit', { note, days: i + 0.5 })).status).toBe(201);
  });

  it('reads dates as an import does: "Room 12", 1.5 or February 30th are no dates (V8\'s Date.parse made them 2001-12-01, 2001-01-05, March 1st)', async () => {
    const preview = (await server.post('/api/meta/refactor/change-type', { entity: 'visit', field: 'note', definition: { type: 'date' } })).body.preview;
    expect(preview).toMatchObject({ records: 5, withValue: 5, converting: 3, failing: 2, lost: 1 });
    const byValue = Object.fromEntries(preview.examples.map((e: { from: string; to?: string; reason?: string }) => [e.from, e.to ?? e.reason]));
    expect(byValue).toEqual({ '2024-03-05': '2024-03-05', '2024/3/6': '2024-03-06', '2025-01-01T23:30:00Z': '2025-01-01', 'Room 12': 'not a date', '2024-02-30': 'not a date' });
    const numbers = (await server.post('/api/meta/refactor/change-type', { entity: 'visit', field: 'days', definition: { type: 'date' } })).body.preview;
    expect(numbers).toMatchObject({ withValue: 5, converting: 0, failing: 5 });
    const instants = (await server.post('/api/meta/refactor/change-type', { entity: 'visit', field: 'note', definition: { type: 'datetime' } })).body.preview;
    expect(instants).toMatchObject({ converting: 3, failing: 2 });
    expect(instants.examples.filter((e: { to?: string }) => e.to).map((e: { to: string }) => e.to).sort()).toEqual(['2024-03-05T00:00:00.000Z', '2024-03-06T00:00:00.000Z', '2025-01-01T23:30:00.000Z']);
  });

  it('applies exactly that, clearing what is no date', async () => {
    const applied = await server.post('/api/meta/refactor/change-type', { entity: 'visit', field: 'note', definition: { type: 'date' }, onFailure: 'clear', apply: true });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    const notes = ((await server.get('/api/data/visit?limit=100&sort=days')).body.items as { note?: string }[]).map((r) => r.note ?? null);
    expect(notes).toEqual(['2024-03-05', '2024-03-06', '2025-01-01', null, null]);
  });
});

describe('preview a computed field', () => {
  it('computes a new formula on a stored record without saving it', async () => {
    const rows = (await server.get('/api/data/ticket?limit=100')).body.items as { id: string; title: string }[];
    const t3 = rows.find((r) => r.title === 'T3')!;
    const current = (await server.get('/api/meta/entities/ticket')).body;
    const edited = { ...current, fields: { ...current.fields, doubled: { type: 'formula', returns: 'number', expression: 'hours * rate * 2' } } };
    const res = await server.post('/api/meta/preview/field', { entity: edited, field: 'doubled', recordId: t3.id });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ valid: true, value: 60, recordId: t3.id });
    expect((await server.get('/api/meta/entities/ticket')).body.fields.doubled).toBeUndefined();
    const broken = await server.post('/api/meta/preview/field', { entity: { ...edited, fields: { ...edited.fields, doubled: { type: 'formula', returns: 'number', expression: 'hours * (' } } }, field: 'doubled' });
    expect(broken.body.valid).toBe(false);
    expect(broken.body.issues[0].path).toContain('/fields/doubled/expression');
    expectError(await server.post('/api/meta/preview/field', { entity: edited }), 400);
  });
});

describe('preview an unsaved view or dashboard', () => {
  it('runs an unsaved view through the records API\'s view path: the same rows a saved one returns, variables bound', async () => {
    const draft = { ...ticketView, columns: { title: { order: 10 }, hours: { order: 20 } }, filter: { hours: { $gte: 5 }, owner: '$me', createdAt: { $gte: '$today - 1 day' } }, sort: '-hours' };
    const res = await server.post('/api/meta/preview/view', { view: draft, limit: 3 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.valid).toBe(true);
    const direct = await server.get(`/api/data/ticket?filter=${encodeURIComponent(JSON.stringify({ hours: { $gte: 5 } }))}&sort=-hours&limit=3&fields=title,hours&total=true`);
    expect(res.body.items.map((r: { title: string }) => r.title)).toEqual(direct.body.items.map((r: { title: string }) => r.title));
    expect(res.body.items.map((r: { title: string }) => r.title)).toEqual(['T9', 'T8', 'T7']);
    expect(res.body.total).toBe(direct.body.total);
    // Only the columns come back (and the system fields).
    expect(res.body.items[0].rate).toBeUndefined();
    // Nothing saved.
    expect((await server.get('/api/meta/views/tickets')).body.filter).toBeUndefined();
    // Broken documents answer valid: false with their issues; bad requests 400 with the pointer.
    const broken = await server.post('/api/meta/preview/view', { view: { ...draft, columns: { nope: { order: 1 } } } });
    expect(broken.status).toBe(200);
    expect(broken.body.valid).toBe(false);
    expect(broken.body.issues.map((i: { path: string }) => i.path).join(' ')).toContain('/columns');
    expect(expectError(await server.post('/api/meta/preview/view', {}), 400).map((d) => d.path)).toEqual(['/view']);
    expect(expectError(await server.post('/api/meta/preview/view', { view: draft, limit: 500 }), 400).map((d) => d.path)).toEqual(['/limit']);
  });

  it('runs an unsaved dashboard as GET /api/dashboards would', async () => {
    const dashboard = {
      kind: 'dashboard', name: 'ticketBoard', title: { en: 'Tickets', zh: '工单' },
      widgets: {
        busy: { type: 'metric', title: 'Busy', entity: 'ticket', filter: { hours: { $gte: 5 } }, measure: { op: 'count' }, layout: { x: 0, y: 0, w: 4, h: 2 } },
        hours: { type: 'metric', title: 'Hours', entity: 'ticket', measure: { op: 'sum', field: 'hours' }, layout: { x: 4, y: 0, w: 4, h: 2 } },
      },
    };
    const res = await server.post('/api/meta/preview/dashboard', { dashboard });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.valid).toBe(true);
    const all = (await server.get('/api/data/ticket?limit=100')).body.items as { hours?: number }[];
    expect(res.body.widgets.busy.value).toBe(all.filter((r) => (r.hours ?? 0) >= 5).length);
    expect(res.body.widgets.hours.value).toBe(all.reduce((sum, r) => sum + (r.hours ?? 0), 0));
    expect((await server.get('/api/meta/dashboards/ticketBoard')).status).toBe(404);
    const overlapping = await server.post('/api/meta/preview/dashboard', { dashboard: { ...dashboard, widgets: { ...dashboard.widgets, hours: { ...dashboard.widgets.hours, layout: { x: 2, y: 0, w: 4, h: 2 } } } } });
    expect(overlapping.body.valid).toBe(false);
    expect(overlapping.body.issues.length).toBeGreaterThan(0);
  });
});
