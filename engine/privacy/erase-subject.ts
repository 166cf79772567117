// Erasure of a person (a data subject's "right to be forgotten"): every record that identifies
// them, and linked records that hold personal fields, anonymized or deleted by their entity's
// policy in one transaction; then the store's files are purged of the old values, and the import
// uploads their rows came from are deleted (with `dataDir`: the server's data folder). The erasure
// leaves an entry in the erasure ledger (erasure-ledger.ts), appended to `ledgerFile` once committed.

import type { CompiledModel } from '../compile/compiled-model.ts';
import { eraseUploads, jobsThatWrote, type KeptUpload } from '../import/erase-uploads.ts';
import type { Store } from '../store/store-port.ts';
import { log } from '../kernel/log.ts';
import { eraseRecord, type ErasedRecord } from './erase-records.ts';
import { appendToLedgerFile, keepErasureEntry, newErasureEntry, type ErasureEntry } from './erasure-ledger.ts';
import { ErasedRecords, erasableStrings, scrubCopies, scrubQuotingFormulas } from './scrub-copies.ts';
import { personalFields, privacyOf } from './personal-data.ts';
import { findSubjectRecords } from './subject-records.ts';

export async function eraseSubject(args: { store: Store; model: CompiledModel; identifier: string; by: string; now: Date; dataDir?: string; ledgerFile?: string; replaying?: ErasureEntry }): Promise<{ erased: ErasedRecord[]; uploadsRemoved: number; uploadsKept: KeptUpload[] }> {
  const { store, model } = args;
  const at = args.now.toISOString();
  const { erased, copied, entry } = await store.transaction(async (tx) => {
    const found = await findSubjectRecords(tx, model, args.identifier);
    const out: ErasedRecord[] = [];
    // Linked records first: deleting a subject record clears the lookups that point at it.
    const ordered = [...found.filter((f) => f.relation.kind === 'linked'), ...found.filter((f) => f.relation.kind === 'subject')];
    const deleted = new Set<string>();
    const values: unknown[] = [];
    const copied = new ErasedRecords();
    for (const { entity, record, relation } of ordered) {
      const mode = privacyOf(entity)?.erasure ?? 'anonymize';
      if (relation.kind === 'linked' && mode !== 'delete' && personalFields(entity).size === 0) continue;
      // Re-read: an earlier erasure in this transaction may have changed the record (a cleared lookup).
      const current = await tx.get(entity.name, record.id);
      if (!current || deleted.has(`${entity.name}/${record.id}`)) continue;
      const { erased, values: held, records } = await eraseRecord(tx, { model, entity, record: current, mode, by: args.by, at, reason: 'erasure' });
      out.push(erased);
      values.push(...held);
      copied.add(entity.name, records, personalFields(entity));
      if (mode === 'delete') deleted.add(`${entity.name}/${record.id}`);
    }
    // Notification texts, webhook bodies, job payloads may have quoted the values.
    const strings = erasableStrings(values);
    await scrubCopies(tx, await store.listCollections(), strings, copied);
    await scrubQuotingFormulas(tx, model, out.map((e) => e.entity), strings);
    // Kept even when nothing was found: an older backup, restored, may hold the person's records.
    const subjectRecords = new Set(ordered.filter((f) => f.relation.kind === 'subject').map((f) => `${f.entity.name}/${f.record.id}`));
    const entry = args.replaying ?? newErasureEntry(args.identifier, out.map((e) => `${e.entity}/${e.id}`).filter((key) => subjectRecords.has(key)), at);
    await keepErasureEntry(tx, entry);
    return { erased: out, copied, entry };
  });
  // Committed: a file that cannot be written now gets the entry at the next start (reconcileLedger).
  if (args.ledgerFile && !args.replaying) await appendToLedgerFile(args.ledgerFile, [entry]).catch((error: unknown) => log.error(`[privacy] the erasure committed but could not be appended to CRM_ERASURE_LOG (${args.ledgerFile}): ${String(error)}; it is appended at the next start`));
  await store.purgeDeleted?.();
  // The erasure has committed: an upload left behind is said in the answer, not turned into a failure.
  const uploads = args.dataDir ? await eraseUploads(store, args.dataDir, await jobsThatWrote(store, copied.byEntity()), at) : { removed: [], kept: [] };
  return { erased, uploadsRemoved: uploads.removed.length, uploadsKept: uploads.kept };
}
