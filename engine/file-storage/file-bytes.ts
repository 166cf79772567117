// Where stored files keep their bytes, behind one port: the data folder (files/<id>) for the
// embedded store, GridFS for MongoDB. Writes stream (never a whole file in memory) and are
// all-or-nothing: a write that fails half-way leaves nothing behind. Files never change once written.

import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { GridFSBucket } from 'mongodb';
import type { Store } from '../store/store-port.ts';

export interface FileBytes {
  readonly kind: 'disk' | 'gridfs';
  /** Streams `source` into a new file `id`; on any failure (the source's too) nothing of it is kept. */
  write(id: string, source: Readable): Promise<void>;
  /** The bytes as a stream, or undefined when the file has none here. */
  read(id: string): Promise<Readable | undefined>;
  /** Removes the file's bytes (nothing happens when there are none). */
  remove(id: string): Promise<void>;
}

export const filesFolder = 'files';
// Uploads in progress live apart from finished files, so that a backup never copies half a file.
const incomingFolder = 'files-incoming';

export function diskFileBytes(dataDir: string): FileBytes {
  const final = (id: string) => path.join(dataDir, filesFolder, id);
  return {
    kind: 'disk',
    async write(id, source) {
      const partial = path.join(dataDir, incomingFolder, id);
      await mkdir(path.dirname(partial), { recursive: true });
      await mkdir(path.dirname(final(id)), { recursive: true });
      try {
        // flush: the bytes are on disk before the record that refers to them commits.
        await pipeline(source, createWriteStream(partial, { flags: 'wx', flush: true }));
        await rename(partial, final(id));
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
    },
    async read(id) {
      const found = await stat(final(id)).catch(() => undefined);
      return found?.isFile() ? createReadStream(final(id)) : undefined;
    },
    async remove(id) {
      await rm(final(id), { force: true });
    },
  };
}

export function gridFsFileBytes(bucket: GridFSBucket): FileBytes {
  const removeQuietly = async (id: string) => {
    await bucket.delete(id as never).catch(() => undefined);
  };
  return {
    kind: 'gridfs',
    async write(id, source) {
      const upload = bucket.openUploadStreamWithId(id as never, id);
      try {
        await pipeline(source, upload);
      } catch (error) {
        // The chunks written so far go with the aborted upload; a files entry, if any, with the delete.
        await upload.abort().catch(() => undefined);
        await removeQuietly(id);
        throw error;
      }
    },
    async read(id) {
      const [found] = await bucket.find({ _id: id as never }, { limit: 1 }).toArray();
      return found ? bucket.openDownloadStream(id as never) : undefined;
    },
    remove: removeQuietly,
  };
}

/** The bucket stored files use on MongoDB. */
export const gridFsBucketName = 'crmFiles';

/** Where this server keeps file bytes: GridFS on MongoDB, else the data folder; undefined when neither. */
export function fileBytesFor(storage: { store: Store; dataDir?: string | undefined }): FileBytes | undefined {
  const store = storage.store as Store & { fileBucket?: (name: string) => GridFSBucket };
  if (store.kind === 'mongodb' && typeof store.fileBucket === 'function') return gridFsFileBytes(store.fileBucket(gridFsBucketName));
  return storage.dataDir ? diskFileBytes(storage.dataDir) : undefined;
}
