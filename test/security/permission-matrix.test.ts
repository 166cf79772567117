// Acceptance: a permission matrix generated from role metadata — 4 roles × 3 entities × create /
// read / update / delete / reassign × hidden / read / edit fields × own / team / all scopes, over
// real HTTP for 9 users. Zero leaks: a hidden field's name or value never appears in list, get,
// history, metadata, OpenAPI or types; a filter, sort or projection on it is 4xx; a record out of
// scope is 404 and absent from lists and totals. Expectations come from the test's own reading of
// the role metadata (fixtures/matrix-oracle.ts), not from the engine's policy.

import { withoutRequestId } from '../support/log-capture.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type ApiClient, type ApiResponse, type TestServer } from '../support/test-server.ts';
import { matrixEntities, matrixRoles, matrixTeams, matrixUsers, matrixWorkflows } from './fixtures/matrix-metadata.ts';
import { canRead, covers, fieldAccess, hasVerb } from './fixtures/matrix-oracle.ts';

const entities = matrixEntities.map((e) => e.name);
const fieldsOf = (entity: string): string[] => Object.keys(matrixEntities.find((e) => e.name === entity)!.fields);
const secretField = (entity: string): string => `secret${entity[0]!.toUpperCase()}${entity.slice(1)}`;
const owners = [...Object.keys(matrixUsers), 'admin'];

interface Seeded {
  id: string;
  entity: string;
  owner: string;
  /** Every value each field ever had (for the leak scan). */
  values: Record<string, string[]>;
}

/** A write naming a hidden field is answered exactly like the same write naming a field that does not exist. */
async function expectSameAsUnknownField(client: ApiClient, url: string, method: 'post' | 'patch', field: string, body: Record<string, unknown>, answer: ApiResponse): Promise<void> {
  const renamed = Object.fromEntries(Object.entries(body).map(([k, v]) => [k === field ? 'zzUnknownField' : k, v]));
  const unknown = await client[method](url, renamed);
  expect(answer.status).toBe(unknown.status);
  expect(JSON.stringify(withoutRequestId(answer.body)).replaceAll(field, 'FIELD')).toBe(JSON.stringify(withoutRequestId(unknown.body)).replaceAll('zzUnknownField', 'FIELD'));
}

describe('permission matrix', () => {
  let server: TestServer;
  const users: Record<string, { id: string; client: ApiClient }> = {};
  const records: Seeded[] = [];
  const ownerIds: Record<string, string> = {};
  /** Every response each user received, for the leak scan. */
  const seen: Record<string, { what: string; text: string }[]> = {};

  const call = async (user: string, what: string, run: (c: ApiClient) => Promise<ApiResponse>, scan = true): Promise<ApiResponse> => {
    const res = await run(users[user]!.client);
    if (scan) (seen[user] ??= []).push({ what, text: typeof res.body === 'string' ? res.body : JSON.stringify(res.body) });
    return res;
  };

  beforeAll(async () => {
    server = await startTestServer();
    const applied = await server.post('/api/meta/apply', { documents: [...matrixEntities, ...matrixRoles, ...matrixWorkflows] });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    for (const [team, parent] of matrixTeams) await server.createTeam(team, parent);
    for (const [name, spec] of Object.entries(matrixUsers)) {
      const user = await server.createUser({ email: `${name.toLowerCase()}@matrix.test`, roles: [spec.role], teams: spec.teams });
      users[name] = { id: user.id, client: user.client };
      ownerIds[name] = user.id;
    }
    ownerIds['admin'] = server.admin!.id;
    for (const entity of entities) {
      for (const owner of owners) {
        const values: Record<string, string[]> = {};
        const body: Record<string, unknown> = {};
        for (const field of fieldsOf(entity)) {
          if (['name', 'pub', 'internal', secretField(entity)].includes(field)) {
            const value = `${field.toUpperCase()}-${entity}-${owner}-v1`;
            body[field] = value;
            values[field] = [value];
          }
        }
        const created = await server.post(`/api/data/${entity}`, body);
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        const id = created.body.id as string;
        if (owner !== 'admin') expect((await server.post(`/api/data/${entity}/${id}/reassign`, { owner: ownerIds[owner] })).status).toBe(200);
        // A second version, so that the history holds changes of hidden fields too.
        const change = { internal: `INTERNAL-${entity}-${owner}-v2`, [secretField(entity)]: `${secretField(entity).toUpperCase()}-${entity}-${owner}-v2` };
        expect((await server.patch(`/api/data/${entity}/${id}`, change)).status).toBe(200);
        values['internal']!.push(change.internal);
        values[secretField(entity)]!.push(change[secretField(entity)]!);
        records.push({ id, entity, owner, values });
      }
    }
    // The deals' announcements run now, with every deal at its final owner.
    expect((await server.post('/api/scheduler/tick')).status).toBe(200);
  });
  afterAll(async () => server.close());

  /** The deals seeded in beforeAll, whose second version was announced to every role. */
  const seededDeals = (): Seeded[] => records.filter((r) => r.entity === 'deal' && r.values['name']?.[0]?.startsWith('NAME-deal-'));

  const userNames = Object.keys(matrixUsers);

  describe.each(userNames)('%s', (user) => {
    it('is notified of exactly the deals it may read (the leak scan covers the texts)', async () => {
      const inbox = await call(user, 'inbox', (c) => c.get('/api/notifications?limit=500'));
      expect(inbox.status).toBe(200);
      const notified = new Set((inbox.body.items as { entity?: string; recordId?: string }[]).filter((n) => n.entity === 'deal').map((n) => n.recordId));
      expect(seededDeals().length).toBe(owners.length);
      for (const deal of seededDeals()) expect(notified.has(deal.id), `${user} about the deal of ${deal.owner}`).toBe(covers(user, 'deal', 'read', deal.owner));
      for (const id of notified) {
        const deal = records.find((r) => r.id === id);
        if (deal) expect(covers(user, 'deal', 'read', deal.owner), `${user} notified of the deal of ${deal.owner}`).toBe(true);
      }
    });

    it.each(entities)('lists, counts and gets exactly the records in read scope of %s, with only readable fields', async (entity) => {
      const list = await call(user, `list ${entity}`, (c) => c.get(`/api/data/${entity}?total=1&limit=1000`));
      if (!canRead(user, entity)) {
        expect(list.status).toBe(404);
        expect(list.body.error.code).toBe('UNKNOWN_ENTITY');
        return;
      }
      expect(list.status).toBe(200);
      const expected = records.filter((r) => r.entity === entity && covers(user, entity, 'read', r.owner)).map((r) => r.id).sort();
      expect(list.body.items.map((i: { id: string }) => i.id).sort()).toEqual(expected);
      expect(list.body.total).toBe(expected.length);
      for (const item of list.body.items as Record<string, unknown>[]) {
        for (const field of fieldsOf(entity)) if (fieldAccess(user, entity, field) === 'hidden') expect(item).not.toHaveProperty(field);
      }
      for (const record of records.filter((r) => r.entity === entity)) {
        const got = await call(user, `get ${entity}/${record.owner}`, (c) => c.get(`/api/data/${entity}/${record.id}`));
        const history = await call(user, `history ${entity}/${record.owner}`, (c) => c.get(`/api/data/${entity}/${record.id}/history`));
        if (covers(user, entity, 'read', record.owner)) {
          expect(got.status).toBe(200);
          expect(history.status).toBe(200);
          for (const field of fieldsOf(entity)) {
            const visible = fieldAccess(user, entity, field) !== 'hidden';
            if (record.values[field]) expect(got.body[field] === record.values[field]!.at(-1), `${field} visible=${visible}`).toBe(visible);
            for (const entry of history.body.items) if (!visible) expect(entry.changes).not.toHaveProperty(field);
          }
        } else {
          expect(got.status).toBe(404);
          expect(history.status).toBe(404);
        }
      }
    });

    it.each(entities)('refuses filters, sorts and projections on hidden fields of %s with 400', async (entity) => {
      if (!canRead(user, entity)) return;
      for (const field of fieldsOf(entity)) {
        const hidden = fieldAccess(user, entity, field) === 'hidden';
        const probes = [
          `filter=${encodeURIComponent(JSON.stringify({ [field]: { $exists: true } }))}`,
          `filter=${encodeURIComponent(JSON.stringify({ $or: [{ name: 'x' }, { [field]: { $exists: false } }] }))}`,
          `filter=${encodeURIComponent(JSON.stringify({ [field]: { $not: { $exists: false } } }))}`,
          `sort=${field}`,
          `sort=-${field},createdAt`,
          `fields=name,${field}`,
        ];
        for (const probe of probes) {
          const res = await call(user, `probe ${probe}`, (c) => c.get(`/api/data/${entity}?${probe}`), false);
          expect(res.status, `${entity} ${probe} (${hidden ? 'hidden' : 'visible'})`).toBe(hidden ? 400 : 200);
        }
      }
    });

    it.each(entities)('creates on %s only with the create grant, writes only editable fields, and owns what it creates', async (entity) => {
      const res = await call(user, `create ${entity}`, (c) => c.post(`/api/data/${entity}`, { name: `${entity} by ${user}` }));
      if (!hasVerb(user, entity, 'create')) {
        expect(res.status).toBe(canRead(user, entity) ? 403 : 404);
        return;
      }
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.owner).toBe(users[user]!.id);
      records.push({ id: res.body.id, entity, owner: user, values: { name: [`${entity} by ${user}`] } });
      for (const field of ['pub', 'internal', secretField(entity)]) {
        const value = `${entity}-${field}-written-by-${user}`;
        const access = fieldAccess(user, entity, field);
        const body = { name: `${entity}-named-by-${user}`, [field]: value };
        const write = await call(user, `create ${entity} with ${field}`, (c) => c.post(`/api/data/${entity}`, body), access !== 'hidden');
        expect(write.status, `${field}: ${JSON.stringify(write.body)}`).toBe(access === 'edit' ? 201 : 400);
        if (access === 'hidden') await expectSameAsUnknownField(users[user]!.client, `/api/data/${entity}`, 'post', field, body, write);
        if (write.status === 201) records.push({ id: write.body.id, entity, owner: user, values: { name: [`${entity}-named-by-${user}`], [field]: [value] } });
      }
      // Mass assignment: owner, id, version, audit fields are never accepted.
      for (const key of ['owner', 'id', 'version', 'revision', 'createdBy', 'createdAt', 'updatedBy']) {
        const forged = await call(user, `create ${entity} with ${key}`, (c) => c.post(`/api/data/${entity}`, { name: 'forged', [key]: key === 'version' || key === 'revision' ? 99 : ownerIds['admin'] }));
        expect(forged.status, key).toBe(400);
        expect(forged.body.error.details[0].path).toBe(`/${key}`);
      }
    });

    it.each(entities)('updates %s records only in update scope, and only editable fields', async (entity) => {
      for (const record of records.filter((r) => r.entity === entity)) {
        const res = await call(user, `patch ${entity}/${record.owner}`, (c) => c.patch(`/api/data/${entity}/${record.id}`, { pub: `PUB-${entity}-${record.owner}-by-${user}` }));
        if (!canRead(user, entity)) expect(res.status).toBe(404);
        else if (!hasVerb(user, entity, 'update')) expect(res.status).toBe(403);
        else if (!covers(user, entity, 'update', record.owner)) expect(res.status).toBe(404);
        else {
          expect(res.status, JSON.stringify(res.body)).toBe(fieldAccess(user, entity, 'pub') === 'edit' ? 200 : 400);
          if (res.status === 200) (record.values['pub'] ??= []).push(`PUB-${entity}-${record.owner}-by-${user}`);
          for (const field of ['internal', secretField(entity)]) {
            const access = fieldAccess(user, entity, field);
            const body = { [field]: `${entity}-${field}-changed-by-${user}` };
            const write = await call(user, `patch ${field}`, (c) => c.patch(`/api/data/${entity}/${record.id}`, body), access !== 'hidden');
            expect(write.status, `${field} ${JSON.stringify(write.body)}`).toBe(access === 'edit' ? 200 : 400);
            if (access === 'hidden') await expectSameAsUnknownField(users[user]!.client, `/api/data/${entity}/${record.id}`, 'patch', field, body, write);
            if (write.status === 200) (record.values[field] ??= []).push(`${entity}-${field}-changed-by-${user}`);
          }
          const owner = await call(user, 'patch owner', (c) => c.patch(`/api/data/${entity}/${record.id}`, { owner: users[user]!.id }));
          expect(owner.status).toBe(400);
        }
      }
    });

    it.each(entities)('reassigns %s records only with the reassign grant, in its scope', async (entity) => {
      for (const record of records.filter((r) => r.entity === entity)) {
        const res = await call(user, `reassign ${entity}/${record.owner}`, (c) => c.post(`/api/data/${entity}/${record.id}/reassign`, { owner: ownerIds[record.owner] }));
        if (!canRead(user, entity)) expect(res.status).toBe(404);
        else if (!hasVerb(user, entity, 'reassign')) expect(res.status).toBe(403);
        else expect(res.status).toBe(covers(user, entity, 'reassign', record.owner) ? 200 : 404);
      }
    });

    it('sees only readable entities and fields in metadata, OpenAPI and types', async () => {
      const list = await call(user, 'meta entities', (c) => c.get('/api/meta/entities'));
      expect(list.status).toBe(200);
      expect(list.body.items.map((i: { name: string }) => i.name).sort()).toEqual(entities.filter((e) => canRead(user, e)).sort());
      for (const entity of entities) {
        const one = await call(user, `meta ${entity}`, (c) => c.get(`/api/meta/entities/${entity}`));
        if (!canRead(user, entity)) {
          expect(one.status).toBe(404);
          continue;
        }
        expect(Object.keys(one.body.fields).sort()).toEqual(fieldsOf(entity).filter((f) => fieldAccess(user, entity, f) !== 'hidden').sort());
      }
      const roles = await call(user, 'meta roles', (c) => c.get('/api/meta/roles'));
      expect(roles.body.items.map((i: { name: string }) => i.name)).toEqual([matrixUsers[user]!.role]);
      const openapi = await call(user, 'openapi', (c) => c.get('/api/openapi.json'));
      expect(openapi.status).toBe(200);
      const schemas = openapi.body.components.schemas as Record<string, { properties?: Record<string, unknown> }>;
      for (const entity of entities) {
        const typeName = entity[0]!.toUpperCase() + entity.slice(1);
        if (!canRead(user, entity)) {
          expect(schemas).not.toHaveProperty(typeName);
          expect(Object.keys(openapi.body.paths).some((p) => p.includes(`/${entity}`))).toBe(false);
          continue;
        }
        for (const field of fieldsOf(entity)) {
          const hidden = fieldAccess(user, entity, field) === 'hidden';
          expect(schemas[typeName]!.properties ?? {}, `${entity}.${field}`).not.toSatisfy((props: object) => hidden && field in props);
        }
      }
      const types = await call(user, 'types', (c) => c.get('/api/types.ts'));
      expect(types.status).toBe(200);
      for (const entity of entities) {
        if (!canRead(user, entity)) expect(types.body).not.toMatch(new RegExp(`interface ${entity[0]!.toUpperCase()}${entity.slice(1)}\\b`));
      }
      const admin = await call(user, 'meta revisions', (c) => c.get('/api/meta/revisions'));
      expect(admin.status).toBe(403);
      expect((await call(user, 'meta put', (c) => c.put('/api/meta/entities/account', matrixEntities[0]))).status).toBe(403);
      expect((await call(user, 'users', (c) => c.get('/api/users'))).status).toBe(403);
    });
  });

  it('rollups: the value only to those who read every child it is made of; hidden ones absent, unfilterable, unleaked', async () => {
    const probe = await server.post('/api/data/account', { name: 'ROLLUP-PROBE' });
    expect(probe.status).toBe(201);
    const children = [
      { owner: 'repA', amount: 1000.5, margin: 1111.5 },
      { owner: 'repW', amount: 2000.25, margin: 2222.25 },
      { owner: 'mgrSales', amount: 4776.25, margin: 3333.125 },
    ];
    for (const child of children) {
      const deal = await server.post('/api/data/deal', { name: `rollup child of ${child.owner}`, account: probe.body.id, amount: child.amount, margin: child.margin });
      expect(deal.status, JSON.stringify(deal.body)).toBe(201);
      expect((await server.post(`/api/data/deal/${deal.body.id}/reassign`, { owner: ownerIds[child.owner] })).status).toBe(200);
    }
    const expected: Record<string, number> = { dealCount: 3, dealTotal: 7777, secretMarginTotal: 6666.875 };
    const asAdmin = await server.get(`/api/data/account/${probe.body.id}`);
    expect(asAdmin.body).toMatchObject(expected);
    let readers = 0;
    for (const user of userNames) {
      const got = await call(user, 'get rollup probe', (c) => c.get(`/api/data/account/${probe.body.id}`));
      const listed = await call(user, 'list rollup probe', (c) => c.get(`/api/data/account?filter=${encodeURIComponent(JSON.stringify({ name: 'ROLLUP-PROBE' }))}`));
      expect(got.status).toBe(covers(user, 'account', 'read', 'admin') ? 200 : 404);
      for (const [field, value] of Object.entries(expected)) {
        const visible = fieldAccess(user, 'account', field) !== 'hidden';
        if (got.status === 200) expect(got.body[field], `${user} ${field}`).toBe(visible ? value : undefined);
        if (!visible && value > 1000) for (const res of [got, listed].filter((r) => r.status === 200)) expect(JSON.stringify(res.body), `${user} ${field}`).not.toContain(String(value));
        if (visible) readers++;
        const filtered = await call(user, `filter ${field}`, (c) => c.get(`/api/data/account?filter=${encodeURIComponent(JSON.stringify({ [field]: { $gte: 1 } }))}`), false);
        if (canRead(user, 'account')) expect(filtered.status, `${user} filters on ${field}`).toBe(visible ? 200 : 400);
      }
    }
    // The auditor (every deal, margin hidden) reads the count and the total but not the margin; the
    // reps and managers, who read only some deals, read none of them.
    expect(fieldAccess('auditor', 'account', 'dealTotal')).toBe('read');
    expect(fieldAccess('auditor', 'account', 'secretMarginTotal')).toBe('hidden');
    expect(fieldAccess('mgrSales', 'account', 'dealCount')).toBe('hidden');
    expect(readers).toBeGreaterThan(0);
  });

  it('deletes only in delete scope (run last: it removes records)', async () => {
    for (const user of userNames) {
      for (const record of records.filter((r) => !r.values['deleted'])) {
        const res = await call(user, `delete ${record.entity}/${record.owner}`, (c) => c.delete(`/api/data/${record.entity}/${record.id}`));
        if (!canRead(user, record.entity)) expect(res.status).toBe(404);
        else if (!hasVerb(user, record.entity, 'delete')) expect(res.status).toBe(403);
        else if (!covers(user, record.entity, 'delete', record.owner)) expect(res.status).toBe(404);
        else {
          expect(res.status, `${user} deletes ${record.entity} of ${record.owner}`).toBe(204);
          record.values['deleted'] = ['yes'];
        }
      }
    }
    expect(records.filter((r) => r.values['deleted']).length).toBeGreaterThan(5);
  });

  it('zero leaks: no response to any user holds a value or the name of a field hidden from them', () => {
    let scanned = 0;
    for (const user of userNames) {
      const forbidden: string[] = [];
      for (const entity of entities) {
        for (const field of fieldsOf(entity)) {
          if (fieldAccess(user, entity, field) !== 'hidden') continue;
          for (const record of records.filter((r) => r.entity === entity)) forbidden.push(...(record.values[field] ?? []));
          if (field.startsWith('secret')) forbidden.push(field);
        }
      }
      // Fields readable on another entity share the words; names are checked per record above.
      for (const response of seen[user] ?? []) {
        scanned++;
        for (const value of forbidden) expect(response.text.includes(value), `${user} saw "${value}" in ${response.what}`).toBe(false);
      }
    }
    expect(scanned).toBeGreaterThan(1000);
  });
});
