// The import wizard's editing of a mapping with several targets (studio/src/import/mapping-targets.ts):
// accounts and their contacts from one file. A target added takes the columns suggested for its
// entity (the contact's client looked up by the client's name); switching between targets keeps the
// edits of each; the order is the engine's (rows are written to the targets in order), so a lookup to
// a later target, or to an earlier one that creates a record on every row, is named; moving and
// removing keep the edited target edited; what is saved loads back into the same targets.

import { describe, expect, it } from 'vitest';
import type { Suggestion } from '../../studio/src/api/imports.ts';
import type { EntityDef } from '../../studio/src/api/meta.ts';
import { draftFromMapping, draftFromSuggestion, toMapping, withColumnField, type Draft } from '../../studio/src/import/mapping-model.ts';
import { addTarget, moveTarget, removeTarget, repeatedTargets, switchTarget, targetLookupIssues, targetsOf } from '../../studio/src/import/mapping-targets.ts';

const account = { name: 'account', label: 'Client', titleField: 'name', fields: { name: { type: 'text', required: true }, region: { type: 'text' }, email: { type: 'email' } } } as unknown as EntityDef;
const contact = { name: 'contact', label: 'Contact', titleField: 'name', fields: { name: { type: 'text', required: true }, account: { type: 'lookup', to: 'account', required: true }, email: { type: 'email' } } } as unknown as EntityDef;
const entities = new Map([['account', account], ['contact', contact]]);
const columns = ['Client', 'Region', 'Contact name', 'Contact e-mail'];
const suggestion = (suggested: Record<string, string>): Suggestion => ({ columns, suggested, mapping: { targets: [] }, unmapped: {}, preview: [], values: {}, scanned: 0 });

const start = (): Draft => withColumnField(draftFromSuggestion(account, suggestion({ region: 'Region' }), entities), 'Client', 'name', entities);
const withContact = (): Draft => addTarget(start(), contact, suggestion({ account: 'Client', email: 'Contact e-mail' }), entities);

describe('several targets in the wizard’s mapping', () => {
  it('adds a target with its suggested columns and its lookup to the other by title, and edits it next', () => {
    const draft = withContact();
    expect(draft.entity).toBe('contact');
    expect(targetsOf(draft)).toEqual([
      { entity: 'account', columns: { name: 'Client', region: 'Region' } },
      { entity: 'contact', columns: { account: 'Client', email: 'Contact e-mail' }, lookups: { account: { by: 'name' } } },
    ]);
  });

  it('keeps each target’s edits across switches, and the one switched to is edited in its place', () => {
    let draft = withColumnField(withContact(), 'Contact name', 'name', entities);
    draft = switchTarget(draft, 0, entities);
    expect(draft.entity).toBe('account');
    expect(draft.fieldOf).toEqual({ Client: 'name', Region: 'region' });
    draft = { ...draft, key: ['name'] };
    draft = switchTarget(draft, 1, entities);
    expect(draft.entity).toBe('contact');
    expect(draft.fieldOf).toEqual({ Client: 'account', 'Contact e-mail': 'email', 'Contact name': 'name' });
    expect(toMapping(draft).targets).toEqual([
      { entity: 'account', key: ['name'], columns: { name: 'Client', region: 'Region' } },
      { entity: 'contact', columns: { account: 'Client', email: 'Contact e-mail', name: 'Contact name' }, lookups: { account: { by: 'name' } } },
    ]);
  });

  it('names a lookup whose entity is written later, or by an earlier target not keyed by the field looked up by', () => {
    const unkeyed = withContact();
    expect(targetLookupIssues(targetsOf(unkeyed), entities)).toEqual([{ target: 1, field: 'account', kind: 'unkeyed', other: 0, by: 'name' }]);
    const keyed = switchTarget({ ...switchTarget(unkeyed, 0, entities), key: ['name'] }, 1, entities);
    expect(targetLookupIssues(targetsOf(keyed), entities)).toEqual([]);
    // Contacts first: each row's client is looked for before the row has written it.
    const early = moveTarget(keyed, 1, -1, entities);
    expect(early.entity).toBe('contact');
    expect(targetsOf(early).map((t) => t.entity)).toEqual(['contact', 'account']);
    expect(targetLookupIssues(targetsOf(early), entities)).toEqual([{ target: 0, field: 'account', kind: 'later', other: 1, by: 'name' }]);
  });

  it('removes a target, the edited one kept (or its neighbour taken up when it was the one removed)', () => {
    const draft = withContact();
    const accountsOnly = removeTarget(draft, 1, entities);
    expect(accountsOnly.entity).toBe('account');
    expect(targetsOf(accountsOnly)).toEqual([{ entity: 'account', columns: { name: 'Client', region: 'Region' } }]);
    const contactsOnly = removeTarget(draft, 0, entities);
    expect(contactsOnly.entity).toBe('contact');
    expect(targetsOf(contactsOnly).map((t) => t.entity)).toEqual(['contact']);
    expect(removeTarget(contactsOnly, 0, entities)).toBe(contactsOnly);
  });

  it('saves every target and loads them back, whichever entity the wizard is importing into', () => {
    const draft = switchTarget({ ...switchTarget(withContact(), 0, entities), key: ['name'] }, 1, entities);
    const saved = toMapping(draft, 'clients-and-contacts');
    expect(saved.name).toBe('clients-and-contacts');
    expect(saved.targets.map((t) => t.entity)).toEqual(['account', 'contact']);
    for (const entity of [account, contact]) {
      const loaded = draftFromMapping(entity, structuredClone(saved));
      expect(loaded.entity).toBe(entity.name);
      expect(toMapping(loaded)).toEqual(saved);
      expect(targetsOf(switchTarget(loaded, entity === account ? 1 : 0, entities))).toEqual(saved.targets);
    }
  });

  it('names an entity added a second time (each row then writes two of it), in the order of first appearance, and no longer once one is removed', () => {
    expect(repeatedTargets(targetsOf(withContact()))).toEqual([]);
    const twice = addTarget(withContact(), contact, suggestion({ account: 'Client', email: 'Contact e-mail' }), entities);
    expect(targetsOf(twice).map((t) => t.entity)).toEqual(['account', 'contact', 'contact']);
    expect(repeatedTargets(targetsOf(twice))).toEqual([{ entity: 'contact', count: 2 }]);
    const thrice = addTarget(addTarget(twice, account, suggestion({ name: 'Client' }), entities), contact, suggestion({}), entities);
    expect(repeatedTargets(targetsOf(thrice))).toEqual([{ entity: 'account', count: 2 }, { entity: 'contact', count: 3 }]);
    expect(repeatedTargets(targetsOf(removeTarget(twice, 1, entities)))).toEqual([]);
  });
});
