// A template given as a .tgz archive: every entry is checked first (plain files and folders only,
// relative paths without `..`, bounded count and size), then the archive is unpacked into a fresh
// temporary folder. The package is found at its root or in its one top-level folder (the layout
// `npm pack` and `tar czf name.tgz name/` produce).

import { lstat, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { CrmError, type IssueDetail } from '../kernel/errors.ts';
import { manifestFile } from './load-template.ts';

const maxEntries = 10_000;
const maxTotalBytes = 200 * 1024 * 1024;

function checkEntryPath(entryPath: string): string | undefined {
  const normalized = entryPath.replace(/\\/g, '/');
  if (normalized.startsWith('/') || /^[A-Za-z]:/.test(normalized)) return 'is an absolute path';
  if (normalized.split('/').includes('..')) return 'leads outside the archive (..)';
  if (normalized.includes('\0')) return 'holds a NUL byte';
  return undefined;
}

export interface ExtractedArchive {
  /** The package folder inside the extraction. */
  directory: string;
  /** Removes everything extracted. */
  remove(): Promise<void>;
}

export async function extractTemplateArchive(file: string): Promise<ExtractedArchive> {
  const info = await lstat(file).catch(() => undefined);
  if (!info?.isFile()) throw new CrmError('BAD_REQUEST', { en: `No archive at ${file}`, zh: `找不到压缩包 ${file}` }, [{ path: '/source/archive', message: 'is not a file' }]);
  const issues: IssueDetail[] = [];
  let entries = 0;
  let bytes = 0;
  try {
    await tar.t({
      file,
      strict: true,
      onReadEntry: (entry) => {
        entries++;
        bytes += entry.size ?? 0;
        const problem = checkEntryPath(entry.path);
        if (problem) issues.push({ path: `/archive/${entries - 1}`, message: `${entry.path} ${problem}` });
        else if (entry.type !== 'File' && entry.type !== 'OldFile' && entry.type !== 'Directory') {
          issues.push({ path: `/archive/${entries - 1}`, message: `${entry.path} is a ${entry.type}: only plain files and folders are allowed` });
        }
        entry.resume();
      },
    });
  } catch (error) {
    throw new CrmError('BAD_REQUEST', { en: `Not a readable .tgz archive: ${(error as Error).message}`, zh: `无法读取的 .tgz 压缩包：${(error as Error).message}` }, [{ path: '/source/archive', message: 'is not a gzipped tar archive' }]);
  }
  if (entries > maxEntries || bytes > maxTotalBytes) throw new CrmError('PAYLOAD_TOO_LARGE', { en: `An archive holds at most ${maxEntries} entries and ${maxTotalBytes} bytes`, zh: '压缩包过大' });
  if (issues.length > 0) throw new CrmError('BAD_REQUEST', { en: 'The archive holds entries a template may not have', zh: '压缩包包含模板不允许的条目' }, issues);

  const target = await mkdtemp(path.join(os.tmpdir(), 'crm-template-'));
  const remove = () => rm(target, { recursive: true, force: true });
  try {
    await tar.x({
      file,
      cwd: target,
      strict: true,
      preservePaths: false,
      preserveOwner: false,
      noMtime: true,
      // Checked above already; kept as a second line of defence.
      filter: (entryPath, entry) => checkEntryPath(entryPath) === undefined && 'type' in entry && (entry.type === 'File' || entry.type === 'OldFile' || entry.type === 'Directory'),
    });
    const top = await readdir(target, { withFileTypes: true });
    if (top.some((e) => e.name === manifestFile && e.isFile())) return { directory: target, remove };
    const folders = top.filter((e) => e.isDirectory());
    if (folders.length === 1 && top.length === 1) return { directory: path.join(target, folders[0]!.name), remove };
    throw new CrmError('BAD_REQUEST', { en: `The archive has no ${manifestFile} at its root or in its one top folder`, zh: `压缩包根目录或唯一顶层目录中没有 ${manifestFile}` }, [{ path: '/source/archive', message: `has no ${manifestFile}` }]);
  } catch (error) {
    await remove();
    throw error;
  }
}
