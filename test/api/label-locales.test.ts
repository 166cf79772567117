// Acceptance (issue 10, point 7): labels in any BCP 47 locale. en and zh are what we ship; an
// admin adding ja or es labels is not refused, and they are served as given.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { errorPaths, expectError } from './api-helpers.ts';

describe('labels in other locales', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  it('accepts ja, es, pt-BR and zh-Hant labels and serves them back; refuses a key that is no language tag', async () => {
    const label = { en: 'Lead', zh: '线索', ja: 'リード', es: 'Cliente potencial', 'pt-BR': 'Lead', 'zh-Hant': '線索' };
    const entity = { kind: 'entity', name: 'lead', label, fields: { name: { type: 'text', label: { en: 'Name', ja: '名前' } } } };
    expect((await server.put('/api/meta/entities/lead', entity)).status).toBe(201);
    expect((await server.get('/api/meta/entities/lead')).body.label).toEqual(label);
    const bad = await server.put('/api/meta/entities/lead', { ...entity, label: { en: 'Lead', Japanese: 'リード' } });
    expectError(bad, 400, 'INVALID_METADATA');
    expect(errorPaths(bad)).toContain('/label/Japanese');
  });
});
