// Reads a template package from a folder and checks it before anything is installed: the
// manifest against its schema, modules (known dependencies, no cycles), every item file in exactly
// one module and every listed item present, shares naming own items, sample files inside the
// package. Files are only read as JSON — nothing from a template is ever executed — and no path
// may lead outside the package (no `..`, no symlinks).

import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import semver from 'semver';
import { CrmError, type IssueDetail, pointer } from '../kernel/errors.ts';
import { checkDocumentSchema } from '../metadata/document-schemas.ts';
import { findForbiddenKeys } from '../kernel/forbidden-keys.ts';
import type { TemplateManifest } from '../metadata/generated/metadata.ts';
import type { MetadataDocument } from '../metadata/metadata-set.ts';
import { itemKey, templateItemKinds, type TemplatePackage } from './template-package.ts';

export const manifestFile = 'template.json';
const maxItemBytes = 1024 * 1024;

/** A JSON pointer to a file of the package (and into it): `metadata/view/x.json` → `/metadata/view/x.json`. */
const filePointer = (file: string, ...inside: string[]): string => pointer(...file.split('/').filter(Boolean), ...inside);
const maxItems = 2000;

/** Reads a file inside `root` only: refuses anything resolving elsewhere, symlinks and non-files. */
export async function readPackageFile(root: string, relative: string, maxBytes: number): Promise<string> {
  const realRoot = await realpath(root);
  const target = path.resolve(realRoot, relative);
  const inside = (p: string) => p === realRoot || p.startsWith(realRoot + path.sep);
  if (path.isAbsolute(relative) || relative.split(/[\\/]/).includes('..') || !inside(target)) {
    throw new CrmError('BAD_REQUEST', { en: `"${relative}" points outside the template`, zh: `「${relative}」指向模板之外` }, [{ path: filePointer(relative), message: 'points outside the template' }]);
  }
  const info = await lstat(target).catch(() => undefined);
  if (!info) throw new CrmError('BAD_REQUEST', { en: `The template has no file "${relative}"`, zh: `模板缺少文件「${relative}」` }, [{ path: filePointer(relative), message: 'is missing' }]);
  if (!info.isFile() || !inside(await realpath(target))) {
    throw new CrmError('BAD_REQUEST', { en: `"${relative}" is not a plain file`, zh: `「${relative}」不是普通文件` }, [{ path: filePointer(relative), message: 'must be a plain file (no links)' }]);
  }
  if (info.size > maxBytes) throw new CrmError('PAYLOAD_TOO_LARGE', { en: `"${relative}" is larger than ${maxBytes} bytes`, zh: `「${relative}」超过 ${maxBytes} 字节` });
  return readFile(target, 'utf8');
}

function parseJson(text: string, file: string, issues: IssueDetail[]): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    issues.push({ path: filePointer(file), message: `is not valid JSON: ${(error as Error).message}` });
    return undefined;
  }
}

/** The manifest alone, schema-checked (for listings); throws INVALID_METADATA with every issue. */
export async function readManifest(directory: string): Promise<TemplateManifest> {
  const issues: IssueDetail[] = [];
  const manifest = parseJson(await readPackageFile(directory, manifestFile, maxItemBytes), manifestFile, issues);
  if (issues.length === 0) issues.push(...findForbiddenKeys(manifest, pointer(manifestFile)));
  if (issues.length === 0) issues.push(...checkDocumentSchema('template', manifest, pointer(manifestFile)));
  if (issues.length > 0) throw new CrmError('INVALID_METADATA', { en: 'The template manifest is not valid', zh: '模板清单无效' }, issues);
  return manifest as TemplateManifest;
}

/** Checks that need more than the schema: ranges, module graph, shares. */
function checkManifest(manifest: TemplateManifest): IssueDetail[] {
  const issues: IssueDetail[] = [];
  const at = (...segments: string[]) => pointer(manifestFile, ...segments);
  if (manifest.engine !== undefined && semver.validRange(manifest.engine) === null) issues.push({ path: at('engine'), message: 'is not a version range' });
  for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
    if (name === manifest.name) issues.push({ path: at('dependencies', name), message: 'a template cannot depend on itself' });
    if (semver.validRange(range) === null) issues.push({ path: at('dependencies', name), message: 'is not a version range' });
  }
  for (const [name, module] of Object.entries(manifest.modules)) {
    for (const needed of module.dependsOn ?? []) if (!manifest.modules[needed] || needed === name) issues.push({ path: at('modules', name, 'dependsOn'), message: `"${needed}" is not another module of this template` });
  }
  // No cycles: every module must reach a module without dependencies.
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (name: string): boolean => {
    if (done.has(name)) return true;
    if (visiting.has(name)) return false;
    visiting.add(name);
    const ok = (manifest.modules[name]?.dependsOn ?? []).every((n) => !manifest.modules[n] || visit(n));
    visiting.delete(name);
    if (ok) done.add(name);
    return ok;
  };
  for (const name of Object.keys(manifest.modules)) if (!visit(name)) issues.push({ path: at('modules', name, 'dependsOn'), message: 'modules depend on each other in a cycle' });
  return issues;
}

/** Reads and checks a whole package. Throws INVALID_METADATA listing every problem found. */
export async function loadTemplatePackage(directory: string): Promise<TemplatePackage> {
  const root = path.resolve(directory);
  const manifest = await readManifest(root);
  const issues = checkManifest(manifest);
  const items = new Map<string, MetadataDocument>();
  const moduleOf = new Map<string, string>();
  for (const [module, def] of Object.entries(manifest.modules)) {
    for (const [kind, names] of Object.entries(def.items) as [string, string[]][]) {
      for (const name of names) {
        const key = itemKey(kind, name);
        if (moduleOf.has(key)) {
          issues.push({ path: pointer(manifestFile, 'modules', module, 'items', kind), message: `${kind} "${name}" is already in module "${moduleOf.get(key)}"` });
          continue;
        }
        moduleOf.set(key, module);
      }
    }
  }
  if (moduleOf.size > maxItems) throw new CrmError('PAYLOAD_TOO_LARGE', { en: `A template holds at most ${maxItems} items`, zh: `模板最多包含 ${maxItems} 个条目` });

  // Every file under metadata/ must be an item listed in a module, and vice versa.
  const listed = await listItemFiles(root, issues);
  for (const file of listed) {
    const [kind, fileName] = file.split('/') as [string, string];
    const key = itemKey(kind, fileName.slice(0, -'.json'.length));
    if (!moduleOf.has(key)) issues.push({ path: pointer('metadata', kind, fileName), message: 'is not listed in any module of the manifest' });
  }
  for (const key of moduleOf.keys()) {
    const [kind, name] = key.split('/') as [string, string];
    const file = `metadata/${kind}/${name}.json`;
    if (!listed.has(`${kind}/${name}.json`)) {
      issues.push({ path: filePointer(file), message: `is missing: module "${moduleOf.get(key)}" lists ${kind} "${name}"` });
      continue;
    }
    const fileIssues: IssueDetail[] = [];
    const doc = parseJson(await readPackageFile(root, file, maxItemBytes), file, fileIssues);
    if (fileIssues.length === 0) fileIssues.push(...findForbiddenKeys(doc, filePointer(file)));
    if (fileIssues.length === 0) {
      const { kind: docKind, name: docName } = (doc ?? {}) as { kind?: unknown; name?: unknown };
      if (docKind !== kind) fileIssues.push({ path: filePointer(file, 'kind'), message: `must be "${kind}"` });
      else if (docName !== name) fileIssues.push({ path: filePointer(file, 'name'), message: `must be "${name}", the file's name` });
      else fileIssues.push(...checkDocumentSchema(kind, doc, filePointer(file)));
    }
    if (fileIssues.length > 0) issues.push(...fileIssues);
    else items.set(key, doc as MetadataDocument);
  }

  for (const [kind, shared] of Object.entries(manifest.shares ?? {}) as [string, Record<string, unknown>][]) {
    for (const name of Object.keys(shared)) {
      if (!moduleOf.has(itemKey(kind, name))) issues.push({ path: pointer(manifestFile, 'shares', kind, name), message: `is not an item of this template` });
    }
  }
  const dashboards = new Set([...moduleOf.keys()].filter((k) => k.startsWith('dashboard/')).map((k) => k.slice('dashboard/'.length)));
  const landing = [['home', manifest.dashboards?.home], ...Object.entries(manifest.dashboards?.byRole ?? {}).map(([role, d]) => [`byRole/${role}`, d])] as [string, string | undefined][];
  for (const [where, dashboard] of landing) {
    if (dashboard !== undefined && !dashboards.has(dashboard)) issues.push({ path: `${pointer(manifestFile, 'dashboards')}/${where}`, message: `"${dashboard}" is not a dashboard of this template` });
  }
  for (const [entity, sample] of Object.entries(manifest.sampleData ?? {})) {
    if (sample.file.split('/').includes('..')) issues.push({ path: pointer(manifestFile, 'sampleData', entity, 'file'), message: 'points outside the template' });
  }
  if (issues.length > 0) throw new CrmError('INVALID_METADATA', { en: `Template "${manifest.name}" is not valid`, zh: `模板「${manifest.name}」无效` }, issues);
  return { manifest, directory: root, items, moduleOf };
}

/** `kind/name.json` of every file under metadata/; anything else there is an issue. */
async function listItemFiles(root: string, issues: IssueDetail[]): Promise<Set<string>> {
  const found = new Set<string>();
  const metadataDir = path.join(root, 'metadata');
  const top = await lstat(metadataDir).catch(() => undefined);
  if (!top) return found;
  if (!top.isDirectory()) {
    issues.push({ path: '/metadata', message: 'must be a folder' });
    return found;
  }
  for (const kindEntry of await readdir(metadataDir, { withFileTypes: true })) {
    if (!kindEntry.isDirectory() || !(templateItemKinds as readonly string[]).includes(kindEntry.name)) {
      issues.push({ path: pointer('metadata', kindEntry.name), message: `must be a folder named after a metadata kind (${templateItemKinds.join(', ')})` });
      continue;
    }
    for (const entry of await readdir(path.join(metadataDir, kindEntry.name), { withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.json')) issues.push({ path: pointer('metadata', kindEntry.name, entry.name), message: 'must be a plain .json file' });
      else found.add(`${kindEntry.name}/${entry.name}`);
    }
  }
  return found;
}
