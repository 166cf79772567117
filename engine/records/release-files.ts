// Letting go of the stored files of a record that is gone (erased, or merged away for good) where no
// after-commit step can delete their bytes: each `_files` document becomes an expired upload no one
// may claim, and the files module's sweep deletes the document and the bytes on its next run. The
// name goes at once: it is often personal ("passport-zelda.pdf") and the sweep may be a while.

import { where } from '../filter/filter-tree.ts';
import type { StoreTransaction, StoredRecord } from '../store/store-port.ts';

export const filesCollection = '_files';

/** Lets go of every file of a record. */
export async function releaseFiles(tx: StoreTransaction, entity: string, recordId: string, at: string): Promise<void> {
  for (const file of await tx.find(filesCollection, { filter: where({ entity, recordId }), sort: [], limit: 10_000 })) await releaseFile(tx, file, at);
}

/** Lets go of the files a record holds (or was given, pending) in the given fields: those an anonymization takes out. */
export async function releaseFieldFiles(tx: StoreTransaction, entity: string, recordId: string, fields: ReadonlySet<string>, at: string): Promise<void> {
  if (fields.size === 0) return;
  for (const file of await tx.find(filesCollection, { filter: where({ entity, recordId }), sort: [], limit: 10_000 })) {
    if (fields.has(String(file.data['field']))) await releaseFile(tx, file, at);
  }
}

export async function releaseFile(tx: StoreTransaction, file: StoredRecord, at: string): Promise<void> {
  const { inline: _inline, ...data } = file.data;
  await tx.replace(filesCollection, { ...file, version: file.version + 1, data: { ...data, name: '', recordId: '', pending: true, uploadedBy: '', expiresAt: at } }, file.version);
}
