// Moving the configuration between instances: the whole metadata as one bundle — every item of
// every kind in every layer (the templates' bases and the admin's overlays, with their origins and
// the base each overlay was made against) plus the installed templates' state — and importing such
// a bundle elsewhere, dry or real. Importing makes the target's metadata layers and template state
// exactly the bundle's, as one revision; records are not moved. The dry run is the one every
// metadata change gets (issues, records the new rules would refuse, unique-index clashes), with
// each item's diff and the templates that come, go or change version.

import type { Clock } from '../kernel/clock.ts';
import { CrmError, type IssueDetail } from '../kernel/errors.ts';
import { diffJson, type JsonChange } from '../metadata/json-diff.ts';
import { sameJson } from '../metadata/merge-contributions.ts';
import type { ItemRow, LayerWrite } from '../metadata/metadata-repository.ts';
import { describeChange, type DescribedChange } from '../metadata/revision-operation.ts';
import { dryRunChange, type DryRunReport } from '../runtime/dry-run.ts';
import type { ModelRuntime } from '../runtime/model-runtime.ts';
import type { Store } from '../store/store-port.ts';
import { loadInstalledTemplates, saveInstalledTemplate, type InstalledTemplate } from './installed-templates.ts';
import { engineVersion } from '../kernel/engine-version.ts';

export const bundleFormat = 'crm-configuration';
export const bundleFormatVersion = 1;

/** One item's row in one layer, as stored. */
export type BundleLayer = Omit<ItemRow, 'fromRevision' | 'toRevision'>;

export interface ConfigurationBundle {
  format: typeof bundleFormat;
  formatVersion: typeof bundleFormatVersion;
  exportedAt: string;
  /** The exporting instance's metadata revision and engine version (informative). */
  revision: number;
  engine: string;
  /** Every installed template's state: version, manifest, package items, modules on, history. */
  templates: InstalledTemplate[];
  /** Every current item row of every layer, sorted by kind, name and layer. */
  layers: BundleLayer[];
}

export interface ImportReport extends Omit<DryRunReport, 'changes'> {
  dryRun: boolean;
  applied: boolean;
  /** The revision written (absent on a dry run, or when nothing changed). */
  revision?: number;
  /** Item by item: what changes in the effective metadata, with its diff. */
  items: (DescribedChange & { changes: JsonChange[] })[];
  /** Layers written or removed (an overlay may change while the effective item does not). */
  layerWrites: number;
  templates: { name: string; action: 'create' | 'update' | 'delete' | 'unchanged'; fromVersion?: string; toVersion?: string; modulesOn?: string[] }[];
}

const layerKey = (r: { kind: string; name: string; layer: string }) => `${r.kind}/${r.name}/${r.layer}`;

export async function exportConfiguration(deps: { store: Store; runtime: ModelRuntime; clock: Clock }): Promise<ConfigurationBundle> {
  const rows = await deps.runtime.repository.loadCurrentRows();
  const templates = (await loadInstalledTemplates(deps.store)).map((t) => t.state);
  const layers = rows
    .map(({ fromRevision: _from, toRevision: _to, ...row }) => row)
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name) || a.layer.localeCompare(b.layer));
  return { format: bundleFormat, formatVersion: bundleFormatVersion, exportedAt: deps.clock.now().toISOString(), revision: deps.runtime.model.revision, engine: engineVersion, templates, layers };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isName = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 200;

/** Refuses anything that is not a bundle this engine writes, naming each problem by pointer. */
export function checkBundle(body: unknown): ConfigurationBundle {
  if (!isObject(body)) throw new CrmError('BAD_REQUEST', undefined, [{ path: '', message: 'must be a configuration bundle (a JSON object)' }]);
  const issues: IssueDetail[] = [];
  if (body['format'] !== bundleFormat) issues.push({ path: '/format', message: `must be "${bundleFormat}"` });
  if (body['formatVersion'] !== bundleFormatVersion) issues.push({ path: '/formatVersion', message: `must be ${bundleFormatVersion}` });
  if (!Array.isArray(body['layers'])) issues.push({ path: '/layers', message: 'must be an array of item rows' });
  if (!Array.isArray(body['templates'])) issues.push({ path: '/templates', message: 'must be an array of template states' });
  if (issues.length > 0) throw new CrmError('BAD_REQUEST', undefined, issues);
  const seen = new Set<string>();
  (body['layers'] as unknown[]).forEach((row, i) => {
    const at = `/layers/${i}`;
    if (!isObject(row)) return void issues.push({ path: at, message: 'must be an object' });
    for (const key of ['kind', 'name', 'layer'] as const) if (!isName(row[key])) issues.push({ path: `${at}/${key}`, message: 'must be a non-empty string' });
    if (row['format'] !== 'document' && row['format'] !== 'patch') issues.push({ path: `${at}/format`, message: 'must be "document" or "patch"' });
    if (!isObject(row['content'])) issues.push({ path: `${at}/content`, message: 'must be an object' });
    if (!isObject(row['origin']) || (row['origin']['by'] !== 'admin' && row['origin']['by'] !== 'template')) issues.push({ path: `${at}/origin`, message: 'must be { "by": "admin" } or { "by": "template", template, version }' });
    if (row['order'] !== undefined && typeof row['order'] !== 'number') issues.push({ path: `${at}/order`, message: 'must be a number' });
    if (row['against'] !== undefined && !isObject(row['against'])) issues.push({ path: `${at}/against`, message: 'must be an object' });
    if (row['format'] === 'document' && isObject(row['content']) && (row['content']['kind'] !== row['kind'] || row['content']['name'] !== row['name'])) {
      issues.push({ path: `${at}/content`, message: 'must have the row\'s kind and name' });
    }
    const key = layerKey(row as { kind: string; name: string; layer: string });
    if (seen.has(key)) issues.push({ path: at, message: `repeats ${key}` });
    seen.add(key);
  });
  const names = new Set<string>();
  (body['templates'] as unknown[]).forEach((t, i) => {
    const at = `/templates/${i}`;
    if (!isObject(t)) return void issues.push({ path: at, message: 'must be an object' });
    if (!isName(t['name'])) issues.push({ path: `${at}/name`, message: 'must be a non-empty string' });
    if (!isName(t['version'])) issues.push({ path: `${at}/version`, message: 'must be a non-empty string' });
    if (!isObject(t['manifest'])) issues.push({ path: `${at}/manifest`, message: 'must be an object' });
    if (!isObject(t['items'])) issues.push({ path: `${at}/items`, message: 'must be an object' });
    if (!Array.isArray(t['modulesOn']) || !t['modulesOn'].every((m) => typeof m === 'string')) issues.push({ path: `${at}/modulesOn`, message: 'must be an array of module names' });
    if (typeof t['order'] !== 'number') issues.push({ path: `${at}/order`, message: 'must be a number' });
    if (names.has(String(t['name']))) issues.push({ path: `${at}/name`, message: `repeats template ${String(t['name'])}` });
    names.add(String(t['name']));
  });
  if (issues.length > 0) throw new CrmError('BAD_REQUEST', { en: 'Not a configuration bundle this server can read', zh: '不是本服务器可读取的配置包' }, issues.slice(0, 100));
  return body as unknown as ConfigurationBundle;
}

export async function importConfiguration(
  deps: { store: Store; runtime: ModelRuntime; clock: Clock },
  bundle: ConfigurationBundle,
  options: { dryRun: boolean; by: string },
): Promise<ImportReport> {
  const { store, runtime, clock } = deps;
  const current = await runtime.repository.loadCurrentRows();
  const currentByKey = new Map(current.map((r) => [layerKey(r), r]));
  const wanted = new Set(bundle.layers.map(layerKey));
  const writes: LayerWrite[] = [];
  for (const row of bundle.layers) {
    const have = currentByKey.get(layerKey(row));
    const same = have && have.format === row.format && sameJson(have.content, row.content) && sameJson(have.origin, row.origin) && have.order === row.order && sameJson(have.against, row.against);
    if (!same) {
      writes.push({
        kind: row.kind, name: row.name, layer: row.layer, format: row.format, content: row.content, origin: row.origin,
        ...(row.order !== undefined ? { order: row.order } : {}), ...(row.against !== undefined ? { against: row.against } : {}),
      });
    }
  }
  for (const row of current) if (!wanted.has(layerKey(row))) writes.push({ kind: row.kind, name: row.name, layer: row.layer, format: row.format, content: undefined, origin: row.origin });

  const installed = await loadInstalledTemplates(store);
  const templates: ImportReport['templates'] = [];
  for (const t of bundle.templates) {
    const have = installed.find((s) => s.state.name === t.name)?.state;
    const action = !have ? 'create' : sameJson(have, t) ? 'unchanged' : 'update';
    templates.push({ name: t.name, action, ...(have ? { fromVersion: have.version } : {}), toVersion: t.version, modulesOn: t.modulesOn });
  }
  for (const s of installed) if (!bundle.templates.some((t) => t.name === s.state.name)) templates.push({ name: s.state.name, action: 'delete', fromVersion: s.state.version });

  const prepared = await runtime.prepareLayers(writes);
  const dry = await dryRunChange({ runtime, store, clock }, prepared, options.by);
  const { changes: _changes, ...verdict } = dry;
  const report: ImportReport = {
    ...verdict, dryRun: options.dryRun, applied: false, layerWrites: writes.length, templates,
    items: prepared.changes.map((c) => ({ ...describeChange(c), changes: diffJson(c.before, c.after) })),
  };
  if (options.dryRun) return report;
  if (report.issues.length > 0) {
    throw new CrmError('INVALID_METADATA', { en: 'The bundle cannot be imported here', zh: '该配置包无法导入此实例' }, report.issues.map(({ kind, name, path, message, code }) => ({ path: kind && name ? `/${kind}/${name}${path}` : path, message, ...(code ? { code } : {}) })));
  }
  const saveTemplates = async (tx: Parameters<typeof saveInstalledTemplate>[0]) => {
    for (const t of templates) {
      if (t.action === 'unchanged') continue;
      const expected = installed.find((s) => s.state.name === t.name)?.version;
      const state = bundle.templates.find((b) => b.name === t.name);
      if (!(await saveInstalledTemplate(tx, t.name, expected, state))) throw new CrmError('CONFLICT', { en: `Template ${t.name} changed meanwhile; try again`, zh: `模板 ${t.name} 已被修改，请重试` });
    }
  };
  if (writes.length > 0) {
    const model = await runtime.apply(prepared, { by: options.by, operation: { type: 'importConfiguration', exportedAt: bundle.exportedAt, revision: bundle.revision }, inTransaction: (tx) => saveTemplates(tx) });
    report.revision = model.revision;
  } else {
    await store.transaction((tx) => saveTemplates(tx));
  }
  report.applied = true;
  return report;
}
