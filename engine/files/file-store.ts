// files/: stored files (e-mail attachments, …), each linked to the record it belongs to. The
// bytes live in the data folder (files/<id>) — or in the document itself where there is no data
// folder — and a `_files` document says what it is (name, type, size, sha256, record). Whoever may
// read the record may read its files (file-routes.ts).

import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { where } from '../filter/filter-tree.ts';
import { newId } from '../kernel/ids.ts';
import type { CollectionSpec, Store, StoreReader } from '../store/store-port.ts';

export const filesCollection: CollectionSpec = {
  name: '_files',
  indexes: [{ name: 'record', keys: [{ path: ['entity'], direction: 1 }, { path: ['recordId'], direction: 1 }], unique: false }],
};

export interface StoredFile {
  id: string;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  entity: string;
  recordId: string;
  at: string;
}

/** Where the bytes go: the data folder, or the document when there is none. */
export interface FileStorage {
  store: Store;
  dataDir?: string | undefined;
}

const fileIdPattern = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const pathOf = (dataDir: string, id: string): string => path.join(dataDir, 'files', id);

/** Writes the bytes now (before the record they belong to exists); `linkFiles` records them once it does. */
export async function writeFileBytes(storage: FileStorage, content: Buffer): Promise<{ id: string; size: number; sha256: string; inline?: string }> {
  const id = newId();
  const sha256 = createHash('sha256').update(content).digest('hex');
  if (!storage.dataDir) return { id, size: content.length, sha256, inline: content.toString('base64') };
  await mkdir(path.join(storage.dataDir, 'files'), { recursive: true });
  await writeFile(pathOf(storage.dataDir, id), content, { flag: 'wx' });
  return { id, size: content.length, sha256 };
}

/** Removes bytes written for a record that was not created after all. */
export async function discardFileBytes(storage: FileStorage, ids: readonly string[]): Promise<void> {
  if (!storage.dataDir) return;
  for (const id of ids) await rm(pathOf(storage.dataDir, id), { force: true });
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

export async function filesOf(reader: StoreReader, entity: string, recordId: string): Promise<StoredFile[]> {
  const rows = await reader.find(filesCollection.name, { filter: where({ entity, recordId }), sort: [], limit: 1000 });
  return rows.map(asFile).sort((a, b) => a.id.localeCompare(b.id));
}

export async function readFileBytes(storage: FileStorage, id: string): Promise<Buffer> {
  if (!storage.dataDir) {
    const row = await storage.store.get(filesCollection.name, id);
    return Buffer.from(String(row?.data['inline'] ?? ''), 'base64');
  }
  return readFile(pathOf(storage.dataDir, id));
}
