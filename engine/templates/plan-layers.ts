// From "which templates are installed, at which version, with which modules on" to the layer
// writes that make the stored metadata say so. Every lifecycle step (install, upgrade, module
// switch, uninstall) computes the state it wants and lets this one planner work out the rest:
// each template's base layer per item, shared items checked for ownership and conflicts, and the
// admin's overlays re-based onto bases that changed. Pure: reads nothing, writes nothing.

import type { DocumentIssues } from '../kinds/check-metadata.ts';
import { findContributionConflicts, mergeContributions, sameJson } from '../metadata/merge-contributions.ts';
import { adminLayer, composeLayers, type ItemRow, type LayerWrite } from '../metadata/metadata-repository.ts';
import type { MetadataDocument, Origin } from '../metadata/metadata-set.ts';
import { fitOverlay, type OverlayConflict } from './fit-overlay.ts';
import type { InstalledTemplate } from './installed-templates.ts';
import { isTemplateLayer, itemKey, itemsOfModules, shareOf, splitItemKey, templateLayer } from './template-package.ts';

export interface SharedConflict {
  kind: string;
  name: string;
  path: string;
  /** The template whose value stays (installed first) and the one whose value differs. */
  installedBy: string;
  incomingBy: string;
  installed: unknown;
  incoming: unknown;
  resolution: 'refused' | 'installedKept';
}

export interface LayerPlan {
  writes: LayerWrite[];
  /** Reasons to refuse the step. */
  issues: DocumentIssues[];
  sharedConflicts: SharedConflict[];
  overlayConflicts: (OverlayConflict & { kind: string; name: string })[];
  dropped: { kind: string; name: string; path: string; value: unknown }[];
}

interface Contribution {
  template: InstalledTemplate;
  content: MetadataDocument;
}

export function planLayers(args: {
  /** Installed templates after the step, in install order. */
  templates: readonly InstalledTemplate[];
  /** The template taking the step: its share policies decide the conflicts it brings. */
  actor: string;
  /** Every current item row. */
  rows: readonly ItemRow[];
  /** Items whose dormant admin overlays are discarded too (uninstall with its data). */
  discardOverlays?: ReadonlySet<string>;
}): LayerPlan {
  const plan: LayerPlan = { writes: [], issues: [], sharedConflicts: [], overlayConflicts: [], dropped: [] };
  const contributions = new Map<string, Contribution[]>();
  for (const template of [...args.templates].sort((a, b) => a.order - b.order)) {
    for (const key of itemsOfModules(template.manifest, template.modulesOn)) {
      const content = template.items[key];
      if (content) contributions.set(key, [...(contributions.get(key) ?? []), { template, content }]);
    }
  }
  const rowsByKey = new Map<string, ItemRow[]>();
  for (const row of args.rows) rowsByKey.set(itemKey(row.kind, row.name), [...(rowsByKey.get(itemKey(row.kind, row.name)) ?? []), row]);
  const keys = new Set([...contributions.keys(), ...[...rowsByKey].filter(([, rows]) => rows.some((r) => isTemplateLayer(r.layer))).map(([key]) => key)]);
  for (const key of args.discardOverlays ?? []) if (rowsByKey.has(key)) keys.add(key);

  for (const key of [...keys].sort()) {
    const { kind, name } = splitItemKey(key);
    const contribs = contributions.get(key) ?? [];
    const current = rowsByKey.get(key) ?? [];
    const issues = checkSharing(kind, name, contribs, args.actor, plan);
    if (issues.length > 0) plan.issues.push({ kind, name, issues });

    // The templates' base layers.
    const desired = new Set<string>();
    for (const { template, content } of contribs) {
      const layer = templateLayer(template.name);
      desired.add(layer);
      const origin: Origin = { by: 'template', template: template.name, version: template.version };
      const row = current.find((r) => r.layer === layer);
      if (!row || !sameJson(row.content, content) || row.order !== template.order || !sameJson(row.origin, origin)) {
        plan.writes.push({ kind, name, layer, format: 'document', content, origin, order: template.order });
      }
    }
    for (const row of current) {
      if (isTemplateLayer(row.layer) && !desired.has(row.layer)) plan.writes.push({ kind, name, layer: row.layer, format: 'document', content: undefined, origin: row.origin });
    }

    // The admin's overlay.
    const admin = current.find((r) => r.layer === adminLayer);
    if (!admin) continue;
    const newBase = contribs.length > 0 ? mergeContributions(contribs.map((c) => c.content)) : undefined;
    const currentBaseRows = current.filter((r) => isTemplateLayer(r.layer));
    if (admin.format === 'document') {
      if (newBase && currentBaseRows.length === 0) {
        plan.issues.push({ kind, name, issues: [{ path: '', message: `the admin already has a ${kind} of their own named "${name}": rename or remove it first` }] });
      }
      continue;
    }
    if (newBase === undefined) {
      // No base left: the overlay stays, dormant, and comes back with its base — unless discarded.
      if (args.discardOverlays?.has(key)) plan.writes.push({ kind, name, layer: adminLayer, format: 'patch', content: undefined, origin: admin.origin });
      continue;
    }
    const against = admin.against ?? composeLayers(currentBaseRows)?.document ?? newBase;
    if (sameJson(against, newBase)) continue;
    const fitted = fitOverlay(admin.content, against, newBase);
    plan.overlayConflicts.push(...fitted.conflicts.map((c) => ({ kind, name, ...c })));
    plan.dropped.push(...fitted.dropped.map((d) => ({ kind, name, ...d })));
    plan.writes.push({ kind, name, layer: adminLayer, format: 'patch', content: fitted.patch ?? {}, origin: admin.origin, against: newBase });
  }
  return plan;
}

/** An item defined by several templates must be shared by each; conflicts the actor brings follow its policy. */
function checkSharing(kind: string, name: string, contribs: Contribution[], actor: string, plan: LayerPlan): DocumentIssues['issues'] {
  if (contribs.length < 2) return [];
  const owners = contribs.filter((c) => !shareOf(c.template.manifest, kind, name)).map((c) => c.template.name);
  if (owners.length > 0) {
    const all = contribs.map((c) => c.template.name).join(', ');
    return [{ path: '', message: `${kind} "${name}" is defined by templates ${all}, but ${owners.join(', ')} does not share it: an item is shared only when every template defining it lists it under "shares"` }];
  }
  const issues: DocumentIssues['issues'] = [];
  let merged: Record<string, unknown> = contribs[0]!.content;
  for (let i = 1; i < contribs.length; i++) {
    const incoming = contribs[i]!;
    const involved = contribs.slice(0, i + 1).find((c) => c.template.name === actor);
    for (const conflict of findContributionConflicts(merged, incoming.content)) {
      // Which earlier template holds the value that stays.
      const holder = contribs.slice(0, i).find((c) => pointerValue(c.content, conflict.path) !== undefined)?.template.name ?? contribs[0]!.template.name;
      if (!involved) continue; // accepted when those templates were installed
      const refuse = shareOf(involved.template.manifest, kind, name)?.onConflict !== 'keepInstalled';
      plan.sharedConflicts.push({ kind, name, path: conflict.path, installedBy: holder, incomingBy: incoming.template.name, installed: conflict.installed, incoming: conflict.incoming, resolution: refuse ? 'refused' : 'installedKept' });
      if (refuse) issues.push({ path: conflict.path, message: `templates ${holder} and ${incoming.template.name} both define this with different values (${JSON.stringify(conflict.installed)} and ${JSON.stringify(conflict.incoming)})` });
    }
    merged = mergeContributions([merged, incoming.content]);
  }
  return issues;
}

function pointerValue(document: unknown, path: string): unknown {
  let value: unknown = document;
  for (const segment of path.split('/').slice(1)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[segment.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return value;
}
