// file-storage/: stored files (e-mail attachments, `file` fields), each linked to the record it belongs to.
// The bytes live behind the file-bytes port (the data folder's files/<id>, or GridFS on MongoDB) —
// or in the document itself where there is neither — and a `_files` document says what it is
// (name, type, size, sha256, record, and for a `file` field: the field, and while no record has
// claimed it, that it is pending, who uploaded it and when it expires). Whoever may read the record
// (and the field) may read its files (file-routes.ts).

import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { andFilters, internalField, where } from '../filter/filter-tree.ts';
import { newId } from '../kernel/ids.ts';
import type { CollectionSpec, Store, StoreReader } from '../store/store-port.ts';
import { fileBytesFor } from './file-bytes.ts';

export const filesCollection: CollectionSpec = {
  name: '_files',
  indexes: [
    { name: 'record', keys: [{ path: ['entity'], direction: 1 }, { path: ['recordId'], direction: 1 }], unique: false },
    { name: 'pending', keys: [{ path: ['pending'], direction: 1 }, { path: ['expiresAt'], direction: 1 }], unique: false },
  ],
};

export interface StoredFile {
  id: string;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  entity: string;
  /** The record it belongs to; '' for an upload not yet claimed by a new record. */
  recordId: string;
  at: string;
  /** The `file` field it was uploaded for (absent: an e-mail attachment). */
  field?: string;
  /** Uploaded, not yet written into its field: only the uploader sees it, and it expires. */
  pending?: boolean;
  uploadedBy?: string;
  expiresAt?: string;
}

/** Where the bytes go: the data folder or GridFS, or the document when there is neither. */
export interface FileStorage {
  store: Store;
  dataDir?: string | undefined;
}

const fileIdPattern = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** Writes the bytes now (before the record they belong to exists); `linkFiles` records them once it does. */
export async function writeFileBytes(storage: FileStorage, content: Buffer): Promise<{ id: string; size: number; sha256: string; inline?: string }> {
  const id = newId();
  const sha256 = createHash('sha256').update(content).digest('hex');
  const bytes = fileBytesFor(storage);
  if (!bytes) return { id, size: content.length, sha256, inline: content.toString('base64') };
  await bytes.write(id, Readable.from([content]));
  return { id, size: content.length, sha256 };
}

/** Removes bytes written for a record that was not created after all (or whose file is gone). */
export async function discardFileBytes(storage: FileStorage, ids: readonly string[]): Promise<void> {
  const bytes = fileBytesFor(storage);
  if (!bytes) return;
  for (const id of ids) await bytes.remove(id);
}

export async function linkFiles(storage: FileStorage, files: readonly (StoredFile & { inline?: string })[]): Promise<void> {
  if (files.length === 0) return;
  await storage.store.transaction(async (tx) => {
    for (const { id, ...data } of files) await tx.insert(filesCollection.name, { id, version: 1, revision: 0, data: data as unknown as Record<string, unknown> });
  });
}

const asFile = (row: { id: string; data: Record<string, unknown> }): StoredFile => {
  const { inline: _inline, ...data } = row.data;
  return { id: row.id, ...(data as Omit<StoredFile, 'id'>) };
};

export async function findFile(reader: StoreReader, id: string): Promise<StoredFile | undefined> {
  if (!fileIdPattern.test(id)) return undefined;
  const row = await reader.get(filesCollection.name, id);
  return row ? asFile(row) : undefined;
}

/** The files of a record, pending uploads excluded. */
export async function filesOf(reader: StoreReader, entity: string, recordId: string): Promise<StoredFile[]> {
  const rows = await reader.find(filesCollection.name, { filter: where({ entity, recordId }), sort: [], limit: 1000 });
  return rows.map(asFile).filter((f) => f.pending !== true).sort((a, b) => a.id.localeCompare(b.id));
}

/** Pending uploads whose time ran out at `now`. */
export async function expiredUploads(reader: StoreReader, now: Date, limit = 500): Promise<StoredFile[]> {
  const filter = andFilters(where({ pending: true }), { kind: 'compare', field: internalField('expiresAt'), op: '$lte', value: now.toISOString() });
  return (await reader.find(filesCollection.name, { filter, sort: [], limit })).map(asFile);
}

/** The file's bytes as a stream; undefined when they are gone. */
export async function openFileBytes(storage: FileStorage, id: string): Promise<Readable | undefined> {
  const row = await storage.store.get(filesCollection.name, id);
  if (typeof row?.data['inline'] === 'string') return Readable.from([Buffer.from(row.data['inline'], 'base64')]);
  return fileBytesFor(storage)?.read(id);
}

/** The whole file in memory: small files only (tests, e-mail). */
export async function readFileBytes(storage: FileStorage, id: string): Promise<Buffer> {
  const stream = await openFileBytes(storage, id);
  if (!stream) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
