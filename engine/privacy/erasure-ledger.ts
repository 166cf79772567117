// The erasure ledger: what lets an erasure outlive a restore. A backup taken before a person was
// erased still holds their data; restored, it would bring them back. Every erasure therefore leaves
// an entry — never the identifier itself: a salted SHA-256 digest of it, and the ids of the records
// it erased — in the store (`_erasures`, in the erasure's own transaction) and, when `CRM_ERASURE_LOG`
// names a file kept apart from the data folder (with the backups), appended to that file. At start the
// two are brought together: an entry the file lacks (a crash between commit and append) is appended;
// an entry the store lacks is an erasure this data predates — it is applied again, by the same code as
// the first time, before the server serves anyone.

import { createHash, randomBytes } from 'node:crypto';
import { open, readFile, truncate } from 'node:fs/promises';
import type { CompiledModel } from '../compile/compiled-model.ts';
import { matchAll } from '../filter/filter-tree.ts';
import { newId } from '../kernel/ids.ts';
import { log } from '../kernel/log.ts';
import { pagesById } from '../store/read-pages.ts';
import type { CollectionSpec, Store, StoreReader, StoreTransaction } from '../store/store-port.ts';
import { privacyOf, subjectEntities } from './personal-data.ts';

export const erasuresCollection: CollectionSpec = { name: '_erasures', indexes: [] };

export interface ErasureEntry {
  id: string;
  at: string;
  /** Random per entry: the same person erased twice leaves two unrelated digests. */
  salt: string;
  /** SHA-256 of the salt and the identifier as the subject search compares it (trimmed, lower case). */
  digest: string;
  /** `entity/id` of the records erased because they identified the person (not those linked to them). */
  records: string[];
}

const normalized = (identifier: string) => identifier.trim().toLowerCase();

export function subjectDigest(salt: string, identifier: string): string {
  return createHash('sha256').update(salt).update('\0').update(normalized(identifier)).digest('base64url');
}

/** A new erasure's ledger entry: a fresh salt, the identifier's digest, the records that named the person. */
export function newErasureEntry(identifier: string, records: string[], at: string): ErasureEntry {
  const salt = randomBytes(16).toString('base64url');
  return { id: newId(), at, salt, digest: subjectDigest(salt, identifier), records };
}

/** Keeps an entry in the store, in the erasure's transaction (an entry applied again is kept once). */
export async function keepErasureEntry(tx: StoreTransaction, entry: ErasureEntry): Promise<void> {
  if (await tx.get(erasuresCollection.name, entry.id)) return;
  const { id, ...data } = entry;
  await tx.insert(erasuresCollection.name, { id, version: 1, revision: 0, data: data as unknown as Record<string, unknown> });
}

/** Appends entries to the ledger file, flushed to the disk before it returns. */
export async function appendToLedgerFile(file: string, entries: readonly ErasureEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const handle = await open(file, 'a', 0o600);
  try {
    await handle.appendFile(entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Thrown when the ledger file cannot be read as one: the start stops rather than serve data an erasure may have missed. */
export class LedgerFileError extends Error {
  constructor(file: string, line: number, reason: string) {
    super(`CRM_ERASURE_LOG ${file}${line > 0 ? `, line ${line}` : ''}: ${reason}`);
    this.name = 'LedgerFileError';
  }
}

const isEntry = (value: unknown): value is ErasureEntry => {
  const e = value as Partial<ErasureEntry> | null;
  return !!e && typeof e === 'object' && typeof e.id === 'string' && typeof e.at === 'string' && typeof e.salt === 'string' && typeof e.digest === 'string' && Array.isArray(e.records) && e.records.every((r) => typeof r === 'string');
};

/**
 * The file's entries. A last line cut short (the process died while appending; its erasure is in the
 * store and is appended again) is left out; any other line that is no entry stops the start.
 */
export async function readLedgerFile(file: string): Promise<{ entries: ErasureEntry[]; tornTail: boolean; completeBytes: number }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], tornTail: false, completeBytes: 0 };
    throw error;
  }
  const lines = text.split('\n');
  const complete = text.endsWith('\n') || text === '';
  const entries: ErasureEntry[] = [];
  let tornTail = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = undefined;
    }
    if (isEntry(parsed)) entries.push(parsed);
    else if (i === lines.length - 1 && !complete) tornTail = true;
    else throw new LedgerFileError(file, i + 1, 'not an erasure entry (the file is written by the server only)');
  }
  const completeBytes = tornTail ? Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1)) : Buffer.byteLength(text);
  return { entries, tornTail, completeBytes };
}

async function storedEntries(reader: StoreReader): Promise<Map<string, ErasureEntry>> {
  const out = new Map<string, ErasureEntry>();
  for await (const page of pagesById(reader, erasuresCollection.name, matchAll, 1000)) {
    for (const row of page) out.set(row.id, { id: row.id, ...(row.data as Omit<ErasureEntry, 'id'>) });
  }
  return out;
}

/**
 * The identifiers in this data that entries name: subject field values whose digest an entry holds,
 * and the values the records an entry erased hold now (their subject field may have changed since).
 */
async function identifiersOf(reader: StoreReader, model: CompiledModel, entries: readonly ErasureEntry[]): Promise<Map<string, ErasureEntry>> {
  const found = new Map<string, ErasureEntry>();
  const byRecord = new Map<string, ErasureEntry>();
  for (const entry of entries) for (const key of entry.records) byRecord.set(key, entry);
  for (const entity of subjectEntities(model)) {
    const field = privacyOf(entity)!.subjectField!;
    const seen = new Set<string>();
    for await (const page of pagesById(reader, entity.name, matchAll, 1000)) {
      for (const record of page) {
        const value = record.data[field];
        if (typeof value !== 'string' || value.trim() === '') continue;
        const key = normalized(value);
        const named = byRecord.get(`${entity.name}/${record.id}`);
        if (named) found.set(key, named);
        if (seen.has(key)) continue;
        seen.add(key);
        for (const entry of entries) if (subjectDigest(entry.salt, key) === entry.digest) found.set(key, entry);
      }
    }
  }
  return found;
}

export type EraseForReplay = (identifier: string, entry: ErasureEntry) => Promise<number>;

/**
 * Brings the store's ledger and the file together (see the top of this file). `erase` applies one
 * identifier's erasure again and records `entry` in the store with it; entries that find nothing
 * left to erase are recorded alone. Returns how many erasures were applied again and records erased.
 */
export async function reconcileLedger(args: { store: Store; model: CompiledModel; file: string; erase: EraseForReplay }): Promise<{ appended: number; replayed: number; records: number }> {
  // A file the server cannot append to would lose every erasure's entry: the start stops, saying why.
  await open(args.file, 'a', 0o600).then((handle) => handle.close(), (error: NodeJS.ErrnoException) => {
    throw new LedgerFileError(args.file, 0, `cannot be written (${error.code ?? error.message})`);
  });
  const { entries: inFile, tornTail, completeBytes } = await readLedgerFile(args.file);
  const stored = await storedEntries(args.store);
  const fileIds = new Set(inFile.map((e) => e.id));
  const missingInFile = [...stored.values()].filter((e) => !fileIds.has(e.id));
  // A cut last line goes (its entry, if the store has it, is among those appended now).
  if (tornTail) await truncate(args.file, completeBytes);
  await appendToLedgerFile(args.file, missingInFile);
  const pending = inFile.filter((e) => !stored.has(e.id));
  let records = 0;
  if (pending.length > 0) {
    const identifiers = await identifiersOf(args.store, args.model, pending);
    const replayed = new Set<string>();
    for (const [identifier, entry] of identifiers) {
      records += await args.erase(identifier, entry);
      replayed.add(entry.id);
    }
    // Nothing of theirs left in this data: recorded, so that the next start does not look again.
    const rest = pending.filter((e) => !replayed.has(e.id));
    if (rest.length > 0) {
      await args.store.transaction(async (tx) => {
        for (const entry of rest) await keepErasureEntry(tx, entry);
      });
    }
    log.warn(`[privacy] this data predates ${pending.length} erasure(s) of the ledger ${args.file}: applied again (${records} record(s) erased)`);
  }
  return { appended: missingInFile.length, replayed: pending.length, records };
}
