// Finding a person's records: records of entities with a subject field whose value is the
// person's identifier (case-insensitively, whole value) — or was, in a record merged into them —
// and the records that point at those through a lookup. Internal queries in system mode; callers
// decide who may ask.

import type { CompiledEntity, CompiledModel } from '../compile/compiled-model.ts';
import { andFilters, internalField, where, type FilterNode } from '../filter/filter-tree.ts';
import { auditCollection } from '../records/audit-trail.ts';
import { holdersOfOpenMerges } from '../records/merge-log.ts';
import type { StoreReader, StoredRecord } from '../store/store-port.ts';
import { privacyOf, subjectEntities } from './personal-data.ts';
import { escapeRegex } from '../kernel/safe-regex.ts';

export interface SubjectRecord {
  entity: CompiledEntity;
  record: StoredRecord;
  /** `subject`: the record identifies the person; otherwise the lookup that ties it to a subject record. */
  relation: { kind: 'subject'; field: string } | { kind: 'linked'; field: string; to: { entity: string; id: string } };
}

const maxRecords = 100_000;

/**
 * The records that records identifying the person were merged into: a merge says they are one
 * person. Found by the merged records' audit entries, which moved to the survivor (`mergedFrom`)
 * and name the values they held — whether or not the merge can still be undone —, and by the
 * snapshots of merges still open (an imported record's audit entry names its source, not its values).
 */
async function mergedInto(reader: StoreReader, entity: CompiledEntity, field: string, byValue: FilterNode & { kind: 'regex' }): Promise<StoredRecord[]> {
  const filter = andFilters(where({ entity: entity.name }), { kind: 'exists', field: internalField('mergedFrom'), exists: true }, { ...byValue, field: internalField(['changes', field, 'after']) });
  const holders = new Set((await reader.find(auditCollection.name, { filter, sort: [], limit: maxRecords })).map((row) => String(row.data['recordId'])));
  const out: StoredRecord[] = [];
  for (const id of holders) {
    const record = await reader.get(entity.name, id);
    if (record) out.push(record);
  }
  const pattern = new RegExp(byValue.pattern, byValue.flags);
  for (const record of await holdersOfOpenMerges(reader, entity.name, (data) => typeof data[field] === 'string' && pattern.test(data[field]))) {
    if (!holders.has(record.id)) out.push(record);
  }
  return out;
}

export async function findSubjectRecords(reader: StoreReader, model: CompiledModel, identifier: string): Promise<SubjectRecord[]> {
  const found: SubjectRecord[] = [];
  const seen = new Set<string>();
  for (const entity of subjectEntities(model)) {
    const fieldName = privacyOf(entity)!.subjectField!;
    const field = entity.filterables.get(fieldName);
    if (!field) continue;
    const filter = { kind: 'regex', field, pattern: `^${escapeRegex(identifier.trim())}$`, flags: 'i' } as const satisfies FilterNode;
    for (const record of await reader.find(entity.name, { filter, sort: [], limit: maxRecords })) {
      seen.add(`${entity.name}/${record.id}`);
      found.push({ entity, record, relation: { kind: 'subject', field: fieldName } });
    }
    for (const record of await mergedInto(reader, entity, fieldName, filter)) {
      if (seen.has(`${entity.name}/${record.id}`)) continue;
      seen.add(`${entity.name}/${record.id}`);
      found.push({ entity, record, relation: { kind: 'subject', field: fieldName } });
    }
  }
  const subjects = [...found];
  for (const subject of subjects) {
    for (const incoming of subject.entity.incomingLookups) {
      const source = model.entities.get(incoming.entity);
      const field = source?.filterables.get(incoming.field);
      if (!source || !field) continue;
      const rows = await reader.find(source.name, { filter: { kind: 'compare', field, op: '$eq', value: subject.record.id }, sort: [], limit: maxRecords });
      for (const record of rows) {
        const key = `${source.name}/${record.id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        found.push({ entity: source, record, relation: { kind: 'linked', field: incoming.field, to: { entity: subject.entity.name, id: subject.record.id } } });
      }
    }
  }
  return found;
}
