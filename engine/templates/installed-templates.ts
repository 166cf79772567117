// What is installed, kept in the store (a system collection, one document per template) and
// written in the same transaction as the metadata revision it belongs to: the version, the whole
// package's items (so a module can be switched on later without the source at hand), which
// modules are on, the install order shared items merge in, and what each lifecycle step did.

import { internalField, matchAll } from '../filter/filter-tree.ts';
import type { TemplateManifest } from '../metadata/generated/metadata.ts';
import type { MetadataDocument } from '../metadata/metadata-set.ts';
import type { CollectionSpec, StoreReader, StoreTransaction } from '../store/store-port.ts';

export const templatesCollection: CollectionSpec = { name: '_templates', indexes: [] };

/** Where a template was installed from. */
export interface TemplateSource {
  type: 'bundled' | 'directory' | 'archive';
  /** Absolute path on the server. */
  path: string;
}

/** A fragment of an admin overlay that no longer fit the template's base and was taken out. */
export interface DroppedOverlay {
  kind: string;
  name: string;
  path: string;
  value: unknown;
  /** The template version whose base it no longer fit. */
  version: string;
  at: string;
}

export interface TemplateHistoryEntry {
  action: 'install' | 'upgrade' | 'enableModule' | 'disableModule';
  version: string;
  at: string;
  by: string;
  /** The metadata revision written (absent when the step changed no metadata). */
  revision?: number;
  module?: string;
}

export interface InstalledTemplate {
  name: string;
  version: string;
  manifest: TemplateManifest;
  /** Every item of the package, by `kind/name`, whether its module is on or not. */
  items: Record<string, MetadataDocument>;
  modulesOn: string[];
  /** Install sequence: contributions to shared items merge in this order. */
  order: number;
  source: TemplateSource;
  installedAt: string;
  updatedAt: string;
  /** Sample records loaded, by entity. */
  sampleData: Record<string, { loaded: number; skipped: number }>;
  droppedOverlays: DroppedOverlay[];
  history: TemplateHistoryEntry[];
}

export interface StoredTemplate {
  state: InstalledTemplate;
  version: number;
}

/** Every installed template, in install order. */
export async function loadInstalledTemplates(reader: Pick<StoreReader, 'find'>): Promise<StoredTemplate[]> {
  const rows = await reader.find(templatesCollection.name, { filter: matchAll, sort: [{ field: internalField('id'), direction: 1 }], limit: 10_000 });
  return rows.map((r) => ({ state: r.data as unknown as InstalledTemplate, version: r.version })).sort((a, b) => a.state.order - b.state.order);
}

/** Writes (or with `state` undefined, removes) one template's state; refuses if it moved meanwhile. */
export async function saveInstalledTemplate(tx: StoreTransaction, name: string, expectedVersion: number | undefined, state: InstalledTemplate | undefined): Promise<boolean> {
  if (state === undefined) return expectedVersion === undefined ? true : tx.delete(templatesCollection.name, name, expectedVersion);
  const data = state as unknown as Record<string, unknown>;
  if (expectedVersion === undefined) {
    await tx.insert(templatesCollection.name, { id: name, version: 1, revision: 0, data });
    return true;
  }
  return tx.replace(templatesCollection.name, { id: name, version: expectedVersion + 1, revision: 0, data }, expectedVersion);
}
