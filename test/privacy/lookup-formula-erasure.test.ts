// A formula that reads a person's value through a lookup (a ticket's `memberEmail`: member.email)
// stores a copy of it in the record that points at them, and in that record's audit trail. An
// erasure (either mode) must take those copies too: a linked record with no personal field of its
// own is otherwise left as it was, still quoting the erased address.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesContaining } from '../support/data-folder.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const person = (name: string, erasure: string) => ({
  kind: 'entity', name, label: name, titleField: 'name', privacy: { subjectField: 'email', erasure },
  fields: { name: { type: 'text', required: true, personal: true }, email: { type: 'email', personal: true } },
});
const ticket = (name: string, to: string) => ({
  kind: 'entity', name, label: name, titleField: 'title',
  fields: { title: { type: 'text', required: true }, who: { type: 'lookup', to }, whoEmail: { type: 'formula', returns: 'text', expression: 'who.email' } },
});

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  const applied = await server.post('/api/meta/apply', { documents: [person('member', 'anonymize'), person('guest', 'delete'), ticket('ticket', 'member'), ticket('visit', 'guest')] });
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
}, 60_000);
afterAll(async () => server?.close());

describe('erasing a person a formula quotes through a lookup', () => {
  for (const [subject, linked, mode] of [['member', 'ticket', 'anonymize'], ['guest', 'visit', 'delete']] as const) {
    it(`${mode}: the linked record's formula and its audit trail no longer hold the value`, async () => {
      const email = `wilhelmina.${mode}@example.org`;
      const who = await server.post<any>(`/api/data/${subject}`, { name: `Wilhelmina ${mode}`, email });
      expect(who.status).toBe(201);
      const made = await server.post<any>(`/api/data/${linked}`, { title: 'Broken boiler', who: who.body.id });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      expect(made.body.whoEmail).toBe(email);

      const erased = await server.post<any>('/api/privacy/erase', { email });
      expect(erased.status, JSON.stringify(erased.body)).toBe(200);

      const after = await server.get<any>(`/api/data/${linked}/${made.body.id}`);
      expect(after.status).toBe(200);
      expect(after.body.title).toBe('Broken boiler');
      expect(after.body.whoEmail ?? null).not.toBe(email);
      expect(JSON.stringify((await server.get<any>(`/api/data/${linked}/${made.body.id}/history`)).body.items)).not.toContain(email);
      expect(await filesContaining(server.dataDir, [email])).toEqual([]);
    });
  }
});
