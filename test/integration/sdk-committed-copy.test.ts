// The SDK copy committed in sdk/src/generated (the studio's API layer takes its types from it) is
// what `crm sdk` writes today for the example instance of sdk/examples — the sales-order entity —
// with an administrator's token. A change to the API that is not regenerated fails here; after an
// intended change, `npx vitest run test/integration/sdk-committed-copy.test.ts -u` writes the new copy.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchOpenApi, renderSdk } from '../../engine/cli/generate-sdk.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { salesOrderMetadata } from './support/mock-erp.ts';

const generated = path.resolve(import.meta.dirname, '../../sdk/src/generated');
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
  const applied = await t.post('/api/meta/apply', salesOrderMetadata);
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
});

afterAll(async () => {
  await t?.close();
});

describe('the committed SDK copy', () => {
  it('equals what `crm sdk` generates from the example instance now', async () => {
    const { schema, entities } = await renderSdk(await fetchOpenApi(t.url, t.admin!.token));
    await expect(schema).toMatchFileSnapshot(path.join(generated, 'schema.ts'));
    await expect(entities).toMatchFileSnapshot(path.join(generated, 'entities.ts'));
  });
});
