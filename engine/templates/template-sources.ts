// Where templates come from: the bundled ones (industry-templates/, plus folders named in
// CRM_TEMPLATE_DIRS), or a folder or .tgz archive an admin points at. Opening a source gives a
// checked package and a cleanup for whatever was unpacked.

import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { CrmError } from '../kernel/errors.ts';
import type { Settings } from '../settings/settings.ts';
import type { TemplateManifest } from '../metadata/generated/metadata.ts';
import { extractTemplateArchive } from './extract-archive.ts';
import type { TemplateSource } from './installed-templates.ts';
import { loadTemplatePackage, manifestFile, readManifest } from './load-template.ts';
import type { TemplatePackage } from './template-package.ts';

export const bundledTemplatesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../industry-templates');

/** What a caller asks to install from: a bundled template, or an explicit folder or archive. */
export interface SourceRequest {
  directory?: string;
  archive?: string;
}

export interface AvailableTemplate {
  manifest: TemplateManifest;
  directory: string;
}

export interface UnreadableTemplate {
  directory: string;
  error: string;
}

/** Folders searched for bundled templates: industry-templates/ and CRM_TEMPLATE_DIRS (path-list). */
export function bundledRoots(settings: Pick<Settings, 'templateDirs'>): string[] {
  return [bundledTemplatesDir, ...settings.templateDirs];
}

const isDirectory = async (p: string) => (await lstat(p).catch(() => undefined))?.isDirectory() ?? false;
const hasManifest = async (p: string) => (await lstat(path.join(p, manifestFile)).catch(() => undefined))?.isFile() ?? false;

/** Every bundled template (a root may be one template's folder or a folder of them). */
export async function discoverBundled(roots: readonly string[]): Promise<{ available: AvailableTemplate[]; unreadable: UnreadableTemplate[] }> {
  const available: AvailableTemplate[] = [];
  const unreadable: UnreadableTemplate[] = [];
  const folders: string[] = [];
  for (const root of roots) {
    if (!(await isDirectory(root))) continue;
    if (await hasManifest(root)) folders.push(root);
    else for (const entry of (await readdir(root, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) if (entry.isDirectory()) folders.push(path.join(root, entry.name));
  }
  for (const directory of folders) {
    if (!(await hasManifest(directory))) continue;
    try {
      available.push({ manifest: await readManifest(directory), directory });
    } catch (error) {
      unreadable.push({ directory, error: (error as Error).message });
    }
  }
  return { available, unreadable };
}

/** The bundled package of a template: the given version, or the highest one found. */
export async function findBundled(roots: readonly string[], name: string, version?: string): Promise<AvailableTemplate | undefined> {
  const candidates = (await discoverBundled(roots)).available.filter((t) => t.manifest.name === name && (version === undefined || t.manifest.version === version));
  return candidates.sort((a, b) => semver.rcompare(a.manifest.version, b.manifest.version))[0];
}

export interface OpenedSource {
  pkg: TemplatePackage;
  source: TemplateSource;
  close(): Promise<void>;
}

/** Opens and checks the package for template `name`; the manifest's name must match it. */
export async function openSource(args: { roots: readonly string[]; name: string; request?: SourceRequest; version?: string }): Promise<OpenedSource> {
  const { request, name } = args;
  let opened: OpenedSource;
  if (request?.archive !== undefined) {
    const file = path.resolve(request.archive);
    const extracted = await extractTemplateArchive(file);
    try {
      opened = { pkg: await loadTemplatePackage(extracted.directory), source: { type: 'archive', path: file }, close: extracted.remove };
    } catch (error) {
      await extracted.remove();
      throw error;
    }
  } else if (request?.directory !== undefined) {
    const directory = path.resolve(request.directory);
    if (!(await isDirectory(directory))) throw new CrmError('BAD_REQUEST', { en: `No folder at ${directory}`, zh: `找不到目录 ${directory}` }, [{ path: '/source/directory', message: 'is not a folder' }]);
    opened = { pkg: await loadTemplatePackage(directory), source: { type: 'directory', path: directory }, close: async () => undefined };
  } else {
    const found = await findBundled(args.roots, name, args.version);
    if (!found) {
      throw new CrmError('NOT_FOUND', { en: `No template "${name}"${args.version ? ` at version ${args.version}` : ''} is available`, zh: `没有可用的模板「${name}」${args.version ? `（版本 ${args.version}）` : ''}` });
    }
    opened = { pkg: await loadTemplatePackage(found.directory), source: { type: 'bundled', path: found.directory }, close: async () => undefined };
  }
  const manifest = opened.pkg.manifest;
  if (manifest.name !== name || (args.version !== undefined && manifest.version !== args.version)) {
    await opened.close();
    throw new CrmError('BAD_REQUEST', { en: `The package is template "${manifest.name}" ${manifest.version}, not "${name}"${args.version ? ` ${args.version}` : ''}`, zh: `该包是模板「${manifest.name}」${manifest.version}，不是「${name}」` }, [
      { path: '/source', message: `holds template "${manifest.name}" ${manifest.version}` },
    ]);
  }
  return opened;
}
