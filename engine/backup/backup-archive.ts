// backup/: one archive of a data folder — the SQLite database (metadata with all its layers and
// revisions, records, audit trail, users, settings, jobs) copied with SQLite's online backup API
// while the server goes on writing, the stored files, and a manifest with each entry's size and
// SHA-256. Restore checks the archive against its manifest and fills an empty data folder only.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, link, lstat, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as tar from 'tar';
import { CrmError } from '../kernel/errors.ts';
import { log } from '../kernel/log.ts';
import { filesFolder } from '../file-storage/file-bytes.ts';
import { filesCollection } from '../file-storage/file-store.ts';
import { tableNameOf } from '../store/sqlite/table-names.ts';

export const databaseFile = 'crm.db';
export const manifestFile = 'manifest.json';
const copiedFolders = [filesFolder];

export interface BackupManifest {
  format: 'crm-backup';
  formatVersion: 1;
  engineVersion: string;
  createdAt: string;
  /** Every file of the archive but the manifest, with its size and SHA-256. */
  entries: { path: string; bytes: number; sha256: string }[];
  /** Rows per table of the copied database (collections: records, metadata, audit, users, …). */
  tables: Record<string, number>;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function listFiles(root: string, under: string): Promise<string[]> {
  const dir = path.join(root, under);
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/')).sort();
}

/**
 * Copies the live database with the online backup API: each step reads a committed state; a write
 * by the server between steps restarts the copy, so all remaining pages go in one step.
 */
async function copyDatabase(source: string, target: string): Promise<Record<string, number>> {
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    await db.backup(target, { progress: ({ totalPages }) => Math.max(totalPages, 100) });
  } finally {
    db.close();
  }
  const copy = new Database(target);
  try {
    const [check] = copy.pragma('integrity_check') as { integrity_check: string }[];
    if (check?.integrity_check !== 'ok') throw new Error(`the copied database fails its integrity check: ${check?.integrity_check}`);
    copy.pragma('journal_mode = DELETE'); // one self-contained file, no -wal beside it
    const tables = copy.prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all();
    return Object.fromEntries(tables.map((t) => [t.name, (copy.prepare(`SELECT count(*) AS n FROM "${t.name.replace(/"/g, '""')}"`).get() as { n: number }).n]));
  } finally {
    copy.close();
  }
}

/** Links (else copies) into `work` the stored files it does not hold yet; one deleted meanwhile is skipped. */
async function copyFolders(dataDir: string, work: string): Promise<void> {
  for (const folder of copiedFolders) {
    for (const file of await listFiles(dataDir, folder)) {
      const to = path.join(work, file);
      if (await lstat(to).catch(() => undefined)) continue;
      await mkdir(path.dirname(to), { recursive: true });
      const from = path.join(dataDir, file);
      try {
        await link(from, to).catch(async (error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') throw error;
          await copyFile(from, to); // another file system (EXDEV) or none that links
        });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
  }
}

/** Files the copied database lists whose bytes are not in `work` (deleted between the two passes). */
async function filesMissing(database: string, work: string): Promise<string[]> {
  const db = new Database(database, { readonly: true });
  let ids: string[];
  try {
    const table = db.prepare<[string], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name = ?").get(tableNameOf(filesCollection.name));
    ids = table ? db.prepare<[], { id: string }>(`SELECT id FROM "${table.name}"`).all().map((r) => r.id) : [];
  } finally {
    db.close();
  }
  const missing: string[] = [];
  for (const id of ids) if (!(await lstat(path.join(work, filesFolder, id)).catch(() => undefined))) missing.push(id);
  return missing;
}

/** Writes `archive` (a .tar.gz) from the data folder of a running or stopped embedded store. */
export async function createBackup(args: { dataDir: string; archive: string; engineVersion: string; now: Date }): Promise<BackupManifest> {
  const source = path.join(args.dataDir, databaseFile);
  if (!(await lstat(source).catch(() => undefined))?.isFile()) throw new CrmError('NOT_FOUND', { en: `No database in ${args.dataDir}`, zh: `${args.dataDir} 中没有数据库` });
  await mkdir(path.dirname(args.archive), { recursive: true });
  const work = await mkdtemp(path.join(path.dirname(args.archive), '.backup-'));
  try {
    // Stored files never change once written, but a record deleted while the backup runs takes its
    // files with it: the ones there before the database is copied are kept (hard links) in case a
    // copied record refers to one deleted since, and those written meanwhile are copied after it.
    // Only a file written after the first pass and deleted after the database copy escapes both: the
    // copy is then taken again (the files kept so far stay), and a backup that keeps missing one says so.
    let tables: Record<string, number> = {};
    let lost: string[] = [];
    for (let attempt = 0; attempt < 3 && (attempt === 0 || lost.length > 0); attempt++) {
      await rm(path.join(work, databaseFile), { force: true });
      await copyFolders(args.dataDir, work);
      tables = await copyDatabase(source, path.join(work, databaseFile));
      await copyFolders(args.dataDir, work);
      lost = await filesMissing(path.join(work, databaseFile), work);
    }
    if (lost.length > 0) throw new CrmError('CONFLICT', { en: `${lost.length} stored files were deleted while the backup ran (${lost.slice(0, 3).join(', ')}): run it again`, zh: `备份期间有 ${lost.length} 个文件被删除（${lost.slice(0, 3).join('、')}）：请重新备份` });
    const names = [databaseFile, ...(await Promise.all(copiedFolders.map((f) => listFiles(work, f)))).flat()];
    const entries = [];
    for (const name of names) entries.push({ path: name, bytes: (await lstat(path.join(work, name))).size, sha256: await sha256Of(path.join(work, name)) });
    const manifest: BackupManifest = { format: 'crm-backup', formatVersion: 1, engineVersion: args.engineVersion, createdAt: args.now.toISOString(), entries, tables };
    await writeFile(path.join(work, manifestFile), JSON.stringify(manifest, null, 2));
    const partial = `${args.archive}.partial`;
    await tar.c({ gzip: true, file: partial, cwd: work, portable: true }, [manifestFile, ...names]);
    await rename(partial, args.archive);
    return manifest;
  } finally {
    await removeWorkFolder(work);
  }
}

/**
 * Removes a backup's or a restore's working folder. tar's extraction can still be writing a file
 * when it rejects (an archive cut short): the folder then fills again while it is removed
 * (ENOTEMPTY), so the removal is retried; and a folder that still will not go is logged, never
 * put in place of the refusal the user must read.
 */
async function removeWorkFolder(work: string): Promise<void> {
  try {
    await rm(work, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  } catch (error) {
    log.warn(`[backup] could not remove the working folder ${work}: ${(error as Error).message}`);
  }
}

function badArchive(en: string, zh: string, pointer = '/archive'): CrmError {
  return new CrmError('BAD_REQUEST', { en: `Not a usable backup: ${en}`, zh: `备份不可用：${zh}` }, [{ path: pointer, message: en, text: { en, zh } }]);
}

/** An entry path that stays inside the archive: relative, normalized, without `..`. */
const insideArchive = (entry: string) => entry !== '' && !path.posix.isAbsolute(entry) && path.posix.normalize(entry) === entry && !entry.split('/').includes('..');

/** The manifest read as what it must be (an archive is anyone's file): its format and its entries. */
function checkManifest(value: unknown): BackupManifest {
  const manifest = value as Partial<BackupManifest> | null;
  if (manifest === null || typeof manifest !== 'object' || manifest.format !== 'crm-backup' || manifest.formatVersion !== 1) throw badArchive('an unknown archive format', '未知的备份格式', '/archive/manifest.json/format');
  if (!Array.isArray(manifest.entries)) throw badArchive('the manifest lists no entries', '清单没有列出条目', '/archive/manifest.json/entries');
  manifest.entries.forEach((entry: unknown, i) => {
    const e = entry as Partial<BackupManifest['entries'][number]> | null;
    const at = `/archive/manifest.json/entries/${i}`;
    if (e === null || typeof e !== 'object' || typeof e.path !== 'string' || typeof e.bytes !== 'number' || typeof e.sha256 !== 'string') throw badArchive('an entry is not { path, bytes, sha256 }', '条目不是 { path, bytes, sha256 }', at);
    if (!insideArchive(e.path)) throw badArchive(`${e.path} is not a path inside the archive`, `${e.path} 不是备份内的路径`, at);
  });
  return manifest as BackupManifest;
}

/** Restores `archive` into `dataDir`, which must be missing or empty; every entry is checked against the manifest first. */
export async function restoreBackup(args: { archive: string; dataDir: string }): Promise<BackupManifest> {
  const existing = await readdir(args.dataDir).catch(() => undefined);
  if (existing && existing.length > 0) {
    throw new CrmError('CONFLICT', { en: `${args.dataDir} is not empty: a backup is restored into an empty data folder only`, zh: `${args.dataDir} 不是空目录：备份只能恢复到空的数据目录` }, [{ path: '/dataDir', message: `holds ${existing.length} entries`, text: { en: `holds ${existing.length} entries`, zh: `含有 ${existing.length} 个条目` } }]);
  }
  if (!(await lstat(args.archive).catch(() => undefined))?.isFile()) throw badArchive('no such file', '文件不存在');
  await mkdir(path.dirname(path.resolve(args.dataDir)), { recursive: true });
  const work = await mkdtemp(path.join(path.dirname(path.resolve(args.dataDir)), '.restore-'));
  try {
    try {
      await tar.x({ file: args.archive, cwd: work, strict: true, preservePaths: false, preserveOwner: false, filter: (_p, entry) => 'type' in entry && (entry.type === 'File' || entry.type === 'OldFile' || entry.type === 'Directory') });
    } catch (error) {
      throw badArchive(`not a readable .tar.gz (${(error as Error).message})`, `无法读取的 .tar.gz（${(error as Error).message}）`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(path.join(work, manifestFile), 'utf8'));
    } catch {
      throw badArchive(`no readable ${manifestFile}`, `没有可读的 ${manifestFile}`);
    }
    const manifest = checkManifest(parsed);
    const listed = new Set(manifest.entries.map((e) => e.path));
    // Every file the archive holds becomes part of the data folder: each must be one the manifest vouches for.
    const present = (await listFiles(work, '.')).filter((file) => file !== manifestFile);
    for (const file of present) if (!listed.has(file)) throw badArchive(`${file} is not in the manifest`, `${file} 不在清单中`);
    for (const [i, entry] of manifest.entries.entries()) {
      const file = path.join(work, entry.path);
      const info = await lstat(file).catch(() => undefined);
      if (!info?.isFile()) throw badArchive(`${entry.path} is missing`, `缺少 ${entry.path}`, `/archive/manifest.json/entries/${i}`);
      if (info.size !== entry.bytes || (await sha256Of(file)) !== entry.sha256) throw badArchive(`${entry.path} does not match its checksum`, `${entry.path} 校验和不符`, `/archive/manifest.json/entries/${i}`);
    }
    await rm(path.join(work, manifestFile));
    await rm(args.dataDir, { recursive: true, force: true });
    await rename(work, args.dataDir);
    return manifest;
  } catch (error) {
    await removeWorkFolder(work);
    throw error;
  }
}
