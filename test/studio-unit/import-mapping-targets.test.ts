// The import wizard's mapping (studio/src/import/mapping-model.ts, toMapping) of a loaded mapping
// with several targets: the target the wizard edits stays where it was, the others as they were —
// a row's targets are written in order, and two targets of one entity (a row's two contacts) are
// both kept. The edited target went first and every other target of its entity was dropped.

import { describe, expect, it } from 'vitest';
import type { ImportMapping } from '../../studio/src/api/imports.ts';
import type { EntityDef } from '../../studio/src/api/meta.ts';
import { draftFromMapping, toMapping } from '../../studio/src/import/mapping-model.ts';

const contact = { name: 'contact', label: 'Contact', fields: { name: { type: 'text' }, email: { type: 'email' } } } as unknown as EntityDef;
const loaded: ImportMapping = {
  name: 'accounts-and-contacts',
  targets: [
    { entity: 'account', key: ['name'], columns: { name: 'Company' } },
    { entity: 'contact', columns: { name: 'Main contact' } },
    { entity: 'contact', columns: { name: 'Second contact' }, when: '$exists(`Second contact`)' },
  ],
};

describe('toMapping of a loaded mapping with several targets', () => {
  it('edits the first target of the entity in its place and keeps every other one', () => {
    const draft = draftFromMapping(contact, loaded);
    const edited = toMapping({ ...draft, fieldOf: { ...draft.fieldOf, 'Main e-mail': 'email' } });
    expect(edited.targets).toEqual([loaded.targets[0], { entity: 'contact', columns: { name: 'Main contact', email: 'Main e-mail' } }, loaded.targets[2]]);
  });
});
