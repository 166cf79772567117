// templates/: industry templates as data — load a template package (a folder or a .tgz), plan
// what installing, upgrading, switching a module or uninstalling does to the metadata layers,
// and apply it as one revision, with the template's state and its sample data in the same
// transaction. Nothing here knows any industry: a template is a manifest, items and data files.

import type { TemplateManifest } from '../metadata/generated/metadata.ts';
import type { MetadataDocument } from '../metadata/metadata-set.ts';

/** A template package read from disk and checked: its manifest and every item it ships. */
export interface TemplatePackage {
  manifest: TemplateManifest;
  /** Absolute folder the package was read from (sample data files are read from here). */
  directory: string;
  /** Every item, by `kind/name`, as shipped. */
  items: Map<string, MetadataDocument>;
  /** Item key → the module it belongs to. */
  moduleOf: Map<string, string>;
}

/** Metadata kinds a template may ship, in the order the manifest schema lists them. */
export const templateItemKinds = ['entity', 'form', 'view', 'workflow', 'role', 'dashboard', 'report', 'segment'] as const;

export const itemKey = (kind: string, name: string): string => `${kind}/${name}`;

export function splitItemKey(key: string): { kind: string; name: string } {
  const slash = key.indexOf('/');
  return { kind: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** The base layer a template's items are stored in. */
export const templateLayer = (template: string): string => `template:${template}`;

export const isTemplateLayer = (layer: string): boolean => layer.startsWith('template:');

/** The item keys of a set of modules of a manifest. */
export function itemsOfModules(manifest: TemplateManifest, modules: Iterable<string>): string[] {
  const keys: string[] = [];
  for (const module of modules) {
    const items = manifest.modules[module]?.items ?? {};
    for (const [kind, names] of Object.entries(items) as [string, string[]][]) for (const name of names) keys.push(itemKey(kind, name));
  }
  return keys;
}

/** How the manifest shares an item, or undefined when the item is the template's own. */
export function shareOf(manifest: TemplateManifest, kind: string, name: string): { onConflict: 'refuse' | 'keepInstalled' } | undefined {
  const share = (manifest.shares as Record<string, Record<string, { onConflict?: 'refuse' | 'keepInstalled' }> | undefined> | undefined)?.[kind]?.[name];
  return share ? { onConflict: share.onConflict ?? 'refuse' } : undefined;
}

/** Modules sorted as people see them: by `order`, then by name. */
export function orderedModules(manifest: TemplateManifest): string[] {
  return Object.entries(manifest.modules)
    .sort(([a, ma], [b, mb]) => (ma.order ?? 0) - (mb.order ?? 0) || a.localeCompare(b))
    .map(([name]) => name);
}
