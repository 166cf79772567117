// One contract for every place file bytes are kept (file-storage/file-bytes.ts): the data folder always,
// GridFS when MONGODB_URI is set (a fresh database per run, dropped afterwards). Bytes come back as
// written, streamed; a write whose source fails half-way leaves nothing; removing is idempotent.

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diskFileBytes, type FileBytes } from '../../engine/file-storage/file-bytes.ts';
import { fileBytesFor, gridFsBucketName } from '../../engine/file-storage/file-bytes.ts';
import { newId } from '../../engine/kernel/ids.ts';
import { openMongoStore, type MongoStore } from '../../engine/store/mongodb/open-mongo-store.ts';

async function readAll(stream: Readable | undefined): Promise<Buffer | undefined> {
  if (!stream) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A source that gives some chunks, then fails. */
function failingSource(chunks: number): Readable {
  let given = 0;
  return new Readable({
    read() {
      if (given++ < chunks) this.push(Buffer.alloc(64 * 1024, given));
      else this.destroy(new Error('the client went away'));
    },
  });
}

function defineConformance(bytes: () => FileBytes, leftovers: () => Promise<string[]>) {
  it('gives back what was written, in several chunks', async () => {
    const id = newId();
    const content = Buffer.concat(Array.from({ length: 40 }, (_, i) => Buffer.alloc(16 * 1024, i)));
    await bytes().write(id, Readable.from(Array.from({ length: 40 }, (_, i) => content.subarray(i * 16 * 1024, (i + 1) * 16 * 1024))));
    expect((await readAll(await bytes().read(id)))!.equals(content)).toBe(true);
  });

  it('keeps files apart, and an empty file is a file', async () => {
    const [a, b] = [newId(), newId()];
    await bytes().write(a, Readable.from([Buffer.from('alpha')]));
    await bytes().write(b, Readable.from([]));
    expect((await readAll(await bytes().read(a)))!.toString()).toBe('alpha');
    expect((await readAll(await bytes().read(b)))!.length).toBe(0);
  });

  it('keeps nothing of a write whose source fails half-way', async () => {
    const id = newId();
    await expect(bytes().write(id, failingSource(5))).rejects.toThrow(/went away/);
    expect(await bytes().read(id)).toBeUndefined();
    expect(await leftovers()).toEqual([]);
  });

  it('removes a file, and removing one that is gone is no error', async () => {
    const id = newId();
    await bytes().write(id, Readable.from([Buffer.from('short-lived')]));
    await bytes().remove(id);
    expect(await bytes().read(id)).toBeUndefined();
    await bytes().remove(id);
    await bytes().remove(newId());
  });
}

describe('file bytes in the data folder', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'crm-file-bytes-'));
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));
  defineConformance(() => diskFileBytes(dataDir), async () => readdir(path.join(dataDir, 'files-incoming')).catch(() => []));
});

const mongodbUri = process.env.MONGODB_URI;
describe.skipIf(!mongodbUri)(`file bytes in GridFS${mongodbUri ? '' : ' (skipped: set MONGODB_URI to run this leg against a server)'}`, () => {
  const database = `crm_file_bytes_${process.pid}_${Date.now()}`;
  let store: MongoStore | undefined;
  beforeAll(async () => {
    store = await openMongoStore({ uri: mongodbUri!, database });
  });
  afterAll(async () => {
    await store?.close();
    const client = new MongoClient(mongodbUri!);
    try {
      await client.db(database).dropDatabase();
    } finally {
      await client.close();
    }
  });
  // The same choice the server makes: a MongoDB store keeps file bytes in GridFS, even with a data folder.
  defineConformance(
    () => {
      const bytes = fileBytesFor({ store: store!, dataDir: os.tmpdir() })!;
      expect(bytes.kind).toBe('gridfs');
      return bytes;
    },
    async () => {
      const client = new MongoClient(mongodbUri!);
      try {
        const chunks = await client.db(database).collection(`${gridFsBucketName}.chunks`).find({}, { projection: { files_id: 1 } }).toArray();
        const files = new Set((await client.db(database).collection(`${gridFsBucketName}.files`).find({}).toArray()).map((f) => String(f._id)));
        return chunks.map((c) => String(c['files_id'])).filter((id) => !files.has(id));
      } finally {
        await client.close();
      }
    },
  );
});
