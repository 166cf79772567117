// Subject access: every record that holds a person's data — the records that identify them and
// the records linked to those — with each record's audit history, as one JSON document.

import type { CompiledModel } from '../compile/compiled-model.ts';
import { loadAllHistory } from '../records/audit-trail.ts';
import type { StoreReader } from '../store/store-port.ts';
import { erasedMarker, personalFields } from './personal-data.ts';
import { findSubjectRecords } from './subject-records.ts';

export interface SubjectExport {
  subject: string;
  generatedAt: string;
  records: {
    entity: string;
    id: string;
    relation: 'subject' | 'linked';
    /** For linked records: the lookup field and the subject record it points at. */
    via?: { field: string; entity: string; id: string };
    /** Fields of this entity that hold personal data. */
    personalFields: string[];
    values: Record<string, unknown>;
    history: unknown[];
  }[];
}

export async function exportSubject(args: { reader: StoreReader; model: CompiledModel; identifier: string; now: Date }): Promise<SubjectExport> {
  const found = await findSubjectRecords(args.reader, args.model, args.identifier);
  const records: SubjectExport['records'] = [];
  for (const { entity, record, relation } of found) {
    const { [erasedMarker]: _marker, ...data } = record.data;
    const history = await loadAllHistory(args.reader, entity.name, record.id);
    records.push({
      entity: entity.name,
      id: record.id,
      relation: relation.kind,
      ...(relation.kind === 'linked' ? { via: { field: relation.field, entity: relation.to.entity, id: relation.to.id } } : {}),
      personalFields: [...personalFields(entity)].sort(),
      values: { id: record.id, version: record.version, ...data },
      history,
    });
  }
  return { subject: args.identifier, generatedAt: args.now.toISOString(), records };
}
