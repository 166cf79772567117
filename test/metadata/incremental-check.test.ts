// Issue 10, point 8: a metadata change re-checks only the documents it may affect. The incremental
// check must find exactly what checking the whole set finds — shown here over each bundled
// template's full metadata (every document removed in turn, every field of every entity removed in
// turn, entities renamed in case and by "Input") and over every invalid-metadata fixture.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkChanges, documentsToCheck, type ChangedItem } from '../../engine/kinds/check-changes.ts';
import { checkSet } from '../../engine/kinds/check-metadata.ts';
import { compileModel } from '../../engine/compile/compile-model.ts';
import type { CompiledEntity } from '../../engine/compile/compiled-model.ts';
import { MetadataSet, type MetadataDocument } from '../../engine/metadata/metadata-set.ts';
import { documentsOf, readTemplate, templateNames } from '../industry-templates/support.ts';

type Doc = MetadataDocument & Record<string, any>;

function applyChanges(set: MetadataSet, changes: { kind: string; name: string; document: Doc | undefined }[]): { next: MetadataSet; changed: ChangedItem[] } {
  let next = set;
  const changed: ChangedItem[] = [];
  for (const c of changes) {
    changed.push({ kind: c.kind, name: c.name, before: next.get(c.kind, c.name), after: c.document });
    next = next.with(c.kind, c.name, c.document);
  }
  return { next, changed };
}

const sorted = (issues: ReturnType<typeof checkSet>) => [...issues].sort((a, b) => `${a.kind}/${a.name}`.localeCompare(`${b.kind}/${b.name}`));

function expectSameAsFull(set: MetadataSet, changes: { kind: string; name: string; document: Doc | undefined }[], label: string): number {
  const { next, changed } = applyChanges(set, changes);
  const full = checkSet(next);
  expect(sorted(checkChanges(next, changed)), label).toEqual(sorted(full));
  return full.length;
}

describe('incremental checks find what the full check finds', () => {
  for (const name of templateNames) {
    it(`over the ${name} template: each document removed, each field removed, names clashing`, { timeout: 120_000 }, () => {
      const set = new MetadataSet(documentsOf([{ template: readTemplate(name) }]) as MetadataDocument[]);
      expect(checkSet(set)).toEqual([]);
      let refused = 0;
      for (const doc of set.all()) refused += Math.sign(expectSameAsFull(set, [{ kind: doc.kind, name: doc.name, document: undefined }], `remove ${doc.kind}/${doc.name}`));
      for (const entity of set.entities()) {
        for (const field of Object.keys(entity.fields)) {
          const { [field]: _removed, ...fields } = entity.fields;
          refused += Math.sign(expectSameAsFull(set, [{ kind: 'entity', name: entity.name, document: { ...(entity as unknown as Doc), fields } }], `remove ${entity.name}.${field}`));
        }
        const upper = entity.name[0]!.toUpperCase() + entity.name.slice(1);
        expectSameAsFull(set, [{ kind: 'entity', name: upper, document: { ...(entity as unknown as Doc), name: upper } }], `add ${upper}`);
        expectSameAsFull(set, [{ kind: 'entity', name: `${entity.name}Input`, document: { ...(entity as unknown as Doc), name: `${entity.name}Input` } }], `add ${entity.name}Input`);
      }
      // The changes are not all harmless: many are refused, and the check is then not of everything.
      expect(refused).toBeGreaterThan(20);
      const checked = set.entities().map((e) => documentsToCheck(set, [{ kind: 'entity', name: e.name, before: e as unknown as Doc, after: e as unknown as Doc }]).length);
      expect(Math.min(...checked)).toBeLessThan(set.all().length / 2);
    });
  }

  it('over every invalid-metadata fixture', () => {
    const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/api/invalid-metadata');
    const base = new MetadataSet([
      { kind: 'entity', name: 'account', label: 'Account', fields: { name: { type: 'text', required: true } } },
      { kind: 'entity', name: 'contact', label: 'Contact', fields: { name: { type: 'text' }, account: { type: 'lookup', to: 'account' } } },
    ]);
    let count = 0;
    for (const file of readdirSync(fixtures).filter((f) => f.endsWith('.json'))) {
      const fixture = JSON.parse(readFileSync(path.join(fixtures, file), 'utf8')) as { method: string; documents: Doc[]; address?: string };
      if (fixture.address) continue;
      const changes = fixture.documents.map((doc) => ({ kind: doc.kind, name: doc.name, document: fixture.method === 'delete' ? undefined : doc }));
      // Some fixtures are refused by compile (an invalid default), not by the checks: 0 issues here.
      count += Math.sign(expectSameAsFull(base, changes, file));
    }
    expect(count).toBeGreaterThan(40);
  });
});

describe('incremental compile', () => {
  it('reuses what unchanged entities compiled, and derives the links anew: the same model as compiling all', () => {
    const template = new MetadataSet(documentsOf([{ template: readTemplate('wholesale') }]) as MetadataDocument[]);
    const first = compileModel(template, 1);
    expect(first.stats).toEqual({ compiled: template.entities().length, reused: 0 });
    // Change one entity: a new lookup to another entity (which gains an incoming lookup) and a rollup.
    const [changed, target] = template.entities();
    const next = template.with('entity', changed!.name, { ...(changed as unknown as Doc), fields: { ...changed!.fields, probeLink: { type: 'lookup', to: target!.name, onDelete: 'setNull' } } });
    const incremental = compileModel(next, 2, first.model);
    const full = compileModel(next, 2);
    expect(incremental.stats).toEqual({ compiled: 1, reused: template.entities().length - 1 });
    expect(incremental.issues).toEqual(full.issues);
    const shape = (e: CompiledEntity) => ({
      name: e.name, fields: [...e.fields.keys()], valueFields: [...e.valueFields], writableFields: [...e.writableFields], drivenFields: [...e.drivenFields],
      drivenInitialValues: [...e.drivenInitialValues], formulas: e.formulas.map((f) => f.name), rules: e.rules.map((r) => r.name), rollupFeeds: e.rollupFeeds,
      incomingLookups: e.incomingLookups, lookupFormulaFeeds: e.lookupFormulaFeeds.map((f) => ({ ...f, fields: [...f.fields] })), inputSchema: e.inputSchema,
      recordSchema: e.recordSchema, filterables: [...e.filterables.keys()], collection: e.collection,
    });
    for (const [name, entity] of full.model.entities) expect(shape(incremental.model.entities.get(name)!), name).toEqual(shape(entity));
    expect(incremental.model.entities.get(target!.name)!.incomingLookups).toContainEqual({ entity: changed!.name, field: 'probeLink', onDelete: 'setNull' });
    // Reused: the very validator of the model before; the changed entity: a new one.
    expect(incremental.model.entities.get(target!.name)!.validateInput).toBe(first.model.entities.get(target!.name)!.validateInput);
    expect(incremental.model.entities.get(changed!.name)!.validateInput).not.toBe(first.model.entities.get(changed!.name)!.validateInput);
    // The model before is untouched.
    expect(first.model.entities.get(target!.name)!.incomingLookups).not.toContainEqual(expect.objectContaining({ field: 'probeLink' }));
  });
});
