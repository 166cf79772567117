// Acceptance: subject export returns exactly the person's records; erasure leaves no personal
// data in records or audit trail — checked by searching every file of the data folder for the
// erased values; personal data masked for logs; export and erasure are for admins only.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskPersonalData, personalFields } from '../../engine/privacy/personal-data.ts';
import { maskEmail } from '../../engine/security/mask.ts';
import { filesContaining } from '../support/data-folder.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

export const privacyEntities = [
  {
    kind: 'entity', name: 'member', label: 'Member', titleField: 'name',
    privacy: { erasure: 'anonymize', subjectField: 'email' },
    fields: {
      name: { type: 'text', required: true, personal: true },
      email: { type: 'email', unique: true, personal: true },
      phone: { type: 'phone', personal: true },
      notes: { type: 'textarea', personal: true },
      greeting: { type: 'formula', returns: 'text', expression: "'Dear ' & name" },
      marketing: { type: 'consent' },
      tier: { type: 'text' },
    },
  },
  {
    kind: 'entity', name: 'lead', label: 'Lead',
    privacy: { erasure: 'delete', subjectField: 'email' },
    fields: { email: { type: 'email', personal: true }, company: { type: 'text' } },
  },
  {
    kind: 'entity', name: 'purchase', label: 'Purchase',
    fields: { member: { type: 'lookup', to: 'member', onDelete: 'restrict' }, amount: { type: 'number' }, shipTo: { type: 'address', personal: true } },
  },
  {
    kind: 'entity', name: 'ticket', label: 'Ticket',
    fields: { requester: { type: 'lookup', to: 'member' }, topic: { type: 'text' } },
  },
];

const zelda = {
  name: 'Zelda Quixotic', email: 'zelda.quixotic@example.org', phone: '+44 20 7946 0958', notes: 'Prefers calls after 6pm, lives near Wapping Old Stairs',
  marketing: { givenAt: '2026-01-02T10:00:00.000Z', source: 'web form' }, tier: 'gold',
};
const erasedValues = ['Zelda', 'Quixotic', 'zelda.quixotic', '7946 0958', 'Wapping Old Stairs', 'Rotherhithe Street 77', 'SE16 4NF', 'Zelda Quixotique'];

describe('subject rights', () => {
  let server: TestServer;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer();
    expect((await server.post('/api/meta/apply', { documents: privacyEntities })).status).toBe(200);
    const make = async (entity: string, body: object) => {
      const res = await server.post(`/api/data/${entity}`, body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    };
    ids['zelda'] = await make('member', { ...zelda, name: 'Zelda Quixotique' });
    // Earlier values land in the audit trail: they must go too.
    expect((await server.patch(`/api/data/member/${ids['zelda']}`, { name: zelda.name, notes: zelda.notes })).status).toBe(200);
    ids['ann'] = await make('member', { name: 'Ann Other', email: 'ann@example.org', phone: '+1 555 0100' });
    ids['joann'] = await make('member', { name: 'Joann Near', email: 'joann@example.org' });
    ids['zeldaLead'] = await make('lead', { email: 'Zelda.Quixotic@Example.ORG', company: 'Quixote Holdings' });
    ids['otherLead'] = await make('lead', { email: 'someone@example.org', company: 'Other' });
    ids['zeldaPurchase'] = await make('purchase', { member: ids['zelda'], amount: 120, shipTo: { street: 'Rotherhithe Street 77', city: 'London', postalCode: 'SE16 4NF' } });
    ids['annPurchase'] = await make('purchase', { member: ids['ann'], amount: 50, shipTo: { street: 'Elm Row 1', city: 'Leeds' } });
    ids['zeldaTicket'] = await make('ticket', { requester: ids['zelda'], topic: 'delivery late' });
    // Copies elsewhere, as workflows leave them: a notification text, a webhook delivery body.
    const store = server.server.store;
    await store.syncCollection({ name: '_copiesForTest', indexes: [] });
    await store.transaction(async (tx) => {
      await tx.insert('_copiesForTest', { id: 'n1', version: 1, revision: 0, data: { text: `Case escalated for ${zelda.name} (${zelda.email})`, to: ['manager'] } });
      await tx.insert('_copiesForTest', { id: 'w1', version: 1, revision: 0, data: { body: JSON.stringify({ record: { phone: zelda.phone } }), attempts: [{ status: 500 }] } });
      await tx.insert('_copiesForTest', { id: 'n2', version: 1, revision: 0, data: { text: 'Case escalated for Ann Other' } });
    });
  });
  afterAll(async () => server.close());

  it('personal fields: flagged ones, consent, the subject field and formulas made of them', () => {
    const member = server.server.runtime.model.entities.get('member')!;
    expect([...personalFields(member)].sort()).toEqual(['email', 'greeting', 'marketing', 'name', 'notes', 'phone']);
    expect(maskPersonalData(member, { name: 'Zelda', tier: 'gold', email: 'z@x.org' })).toEqual({ name: '***', tier: 'gold', email: '***' });
    expect(maskEmail('zelda.quixotic@example.org')).toBe('z***@e***.org');
  });

  it('subject export returns exactly the person’s records (subject and linked), with their history', async () => {
    const res = await server.get(`/api/privacy/export?email=${encodeURIComponent('ZELDA.quixotic@example.org')}`);
    expect(res.status).toBe(200);
    const got = res.body.records.map((r: { entity: string; id: string; relation: string }) => `${r.entity}/${r.id}/${r.relation}`).sort();
    expect(got).toEqual([`lead/${ids['zeldaLead']}/subject`, `member/${ids['zelda']}/subject`, `purchase/${ids['zeldaPurchase']}/linked`, `ticket/${ids['zeldaTicket']}/linked`].sort());
    const member = res.body.records.find((r: { entity: string }) => r.entity === 'member');
    expect(member.values).toMatchObject({ ...zelda, greeting: 'Dear Zelda Quixotic' });
    expect(member.history.map((h: { action: string }) => h.action)).toEqual(['create', 'update']);
    expect(res.body.records.find((r: { entity: string }) => r.entity === 'purchase').via).toEqual({ field: 'member', entity: 'member', id: ids['zelda'] });
    expect(JSON.stringify(res.body)).not.toMatch(/ann@|Joann|someone@/);
    // The identifier matches whole values only: ann@ is not joann@.
    const ann = await server.get('/api/privacy/export?email=ann@example.org');
    expect(ann.body.records.map((r: { entity: string; id: string }) => `${r.entity}/${r.id}`).sort()).toEqual([`member/${ids['ann']}`, `purchase/${ids['annPurchase']}`].sort());
    expect((await server.get('/api/privacy/export?email=' + encodeURIComponent('.*@example.org'))).body.records).toEqual([]);
  });

  it('export and erase are for administrators only', async () => {
    const user = await server.createUser({ roles: [] });
    expect((await user.client.get('/api/privacy/export?email=zelda.quixotic@example.org')).status).toBe(403);
    expect((await user.client.post('/api/privacy/erase', { email: 'zelda.quixotic@example.org' })).status).toBe(403);
    expect((await server.anonymous.get('/api/privacy/export?email=zelda.quixotic@example.org')).status).toBe(401);
    expect((await server.get('/api/privacy/export')).status).toBe(400);
    expect((await server.post('/api/privacy/erase', { email: 'x', extra: 1 })).body.error.details[0].path).toBe('/extra');
  });

  it('erasure anonymizes or deletes by entity policy and leaves no personal value anywhere in the data folder', async () => {
    const before = await filesContaining(server.dataDir, erasedValues);
    expect(before.length).toBeGreaterThan(0); // the search works: the values are there first

    const res = await server.post('/api/privacy/erase', { email: 'zelda.quixotic@example.org' });
    expect(res.status).toBe(200);
    const summary = res.body.erased.map((e: { entity: string; action: string }) => `${e.entity}:${e.action}`).sort();
    expect(summary).toEqual(['lead:deleted', 'member:anonymized', 'purchase:anonymized']);
    expect(JSON.stringify(res.body)).not.toMatch(/zelda|quixot/i);

    const member = (await server.get(`/api/data/member/${ids['zelda']}`)).body;
    expect(member.name).toBe('erased');
    expect(member.email).toMatch(/^erased-[0-9a-f]+@erased\.invalid$/);
    for (const gone of ['phone', 'notes', 'marketing', 'greeting']) expect(member).not.toHaveProperty(gone);
    expect(member.tier).toBe('gold');
    expect((await server.get(`/api/data/lead/${ids['zeldaLead']}`)).status).toBe(404);
    const purchase = (await server.get(`/api/data/purchase/${ids['zeldaPurchase']}`)).body;
    expect(purchase).not.toHaveProperty('shipTo');
    expect(purchase.amount).toBe(120);
    expect((await server.get(`/api/data/ticket/${ids['zeldaTicket']}`)).body.topic).toBe('delivery late');

    const history = (await server.get(`/api/data/member/${ids['zelda']}/history`)).body.items;
    expect(history.at(-1)).toMatchObject({ action: 'erase', changes: {}, details: { mode: 'anonymize', fields: ['email', 'greeting', 'marketing', 'name', 'notes', 'phone'] } });
    expect(JSON.stringify(history)).not.toMatch(/zelda|quixot|7946|wapping/i);

    // Others are untouched.
    expect((await server.get(`/api/data/member/${ids['ann']}`)).body.email).toBe('ann@example.org');
    expect((await server.get(`/api/data/lead/${ids['otherLead']}`)).status).toBe(200);
    expect((await server.get(`/api/data/purchase/${ids['annPurchase']}`)).body.shipTo.city).toBe('Leeds');

    // Copies in other system collections lost the values; unrelated ones are untouched.
    const copies = await server.server.store.find('_copiesForTest', { filter: { kind: 'true' }, sort: [], limit: 10 });
    const byId = Object.fromEntries(copies.map((c) => [c.id, c.data]));
    expect(byId['n1']).toEqual({ text: 'Case escalated for [erased] ([erased])', to: ['manager'] });
    expect(String(byId['w1']!['body'])).toBe(JSON.stringify({ record: { phone: '[erased]' } }));
    expect(byId['n2']).toEqual({ text: 'Case escalated for Ann Other' });

    // Nothing left in any file of the data folder (database, WAL, anything else).
    expect(await filesContaining(server.dataDir, erasedValues)).toEqual([]);
    // And the person is no longer found.
    expect((await server.get('/api/privacy/export?email=zelda.quixotic@example.org')).body.records).toEqual([]);
  });
});

describe('masking for logs', () => {
  it('masks e-mail addresses and phone numbers in free text, keeps the rest readable', async () => {
    const { maskText } = await import('../../engine/privacy/mask-log.ts');
    const line = 'unique violation: zelda.quixotic@example.org already used; call +44 20 7946 0958 or 020-7946-0958; order 42 of 2026';
    const masked = maskText(line);
    expect(masked).not.toMatch(/zelda|quixotic|7946|0958/);
    expect(masked).toContain('z***@e***.org');
    expect(masked).toContain('order 42 of 2026');
  });
});
