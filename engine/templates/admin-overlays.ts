// The admin's own changes over template items, apart from what the templates ship: per item the
// templates' base (their layers merged), the admin's overlay (a merge patch) and the effective item,
// with the base → effective diff. An overlay whose base is gone (module off, template removed) is
// dormant: it stays stored and comes back with its base.

import { diffJson, type JsonChange } from '../metadata/json-diff.ts';
import { adminLayer, composeLayers, type ItemRow } from '../metadata/metadata-repository.ts';
import type { ModelRuntime } from '../runtime/model-runtime.ts';
import { isTemplateLayer } from './template-package.ts';

export interface AdminOverlay {
  kind: string;
  name: string;
  /** The templates whose base layers the item has (install order). */
  templates: string[];
  base?: Record<string, unknown>;
  overlay: Record<string, unknown>;
  effective?: Record<string, unknown>;
  /** What the overlay changes in the base, pointer by pointer. */
  changes: JsonChange[];
  dormant: boolean;
}

export async function listAdminOverlays(runtime: ModelRuntime): Promise<{ items: AdminOverlay[]; adminItems: { kind: string; name: string }[] }> {
  const groups = new Map<string, ItemRow[]>();
  for (const row of await runtime.repository.loadCurrentRows()) groups.set(`${row.kind}/${row.name}`, [...(groups.get(`${row.kind}/${row.name}`) ?? []), row]);
  const items: AdminOverlay[] = [];
  const adminItems: { kind: string; name: string }[] = [];
  for (const rows of groups.values()) {
    const admin = rows.find((r) => r.layer === adminLayer);
    if (!admin) continue;
    const { kind, name } = admin;
    if (admin.format === 'document') {
      adminItems.push({ kind, name });
      continue;
    }
    const baseRows = rows.filter((r) => isTemplateLayer(r.layer)).sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
    const base = composeLayers(baseRows)?.document;
    const effective = runtime.findItem(kind, name)?.document;
    items.push({
      kind, name, templates: baseRows.map((r) => r.layer.slice('template:'.length)), ...(base ? { base } : {}), overlay: admin.content, ...(effective ? { effective } : {}),
      changes: base ? diffJson(base, effective) : [], dormant: base === undefined,
    });
  }
  const order = (a: { kind: string; name: string }, b: { kind: string; name: string }) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name);
  return { items: items.sort(order), adminItems: adminItems.sort(order) };
}
