// A view filtering through a lookup (`account.industry` on deals) gets its index on the target's
// field — the semi-join's other side — and never a meaningless index on the source.

import { describe, expect, it } from 'vitest';
import { deriveIndexes } from '../../engine/compile/derive-indexes.ts';
import { MetadataSet } from '../../engine/metadata/metadata-set.ts';
import type { EntityDefinition } from '../../engine/metadata/generated/metadata.ts';

const set = new MetadataSet([
  { kind: 'entity', name: 'account', label: 'Account', fields: { industry: { type: 'text' }, name: { type: 'text' } } },
  { kind: 'entity', name: 'deal', label: 'Deal', fields: { account: { type: 'lookup', to: 'account' }, stage: { type: 'text' } } },
  { kind: 'view', name: 'retailDeals', entity: 'deal', type: 'list', columns: ['stage'], filter: { 'account.industry': 'Retail', stage: 'open' }, sort: 'account.name' },
]);

describe('indexes for views through lookup paths', () => {
  it('index the target field, and keep the source index to its own fields', () => {
    const account = deriveIndexes(set.entity('account') as EntityDefinition, set);
    expect(account).toContainEqual({ name: 'p_retailDeals_industry', keys: [{ path: ['industry'], direction: 1 }], unique: false });
    const deal = deriveIndexes(set.entity('deal') as EntityDefinition, set);
    expect(deal).toContainEqual({ name: 'v_retailDeals', keys: [{ path: ['stage'], direction: 1 }], unique: false });
    expect(deal.flatMap((spec) => spec.keys.map((key) => key.path.join('.')))).not.toContain('account.industry');
  });
});
