// Where metadata lives in the store: every version of every item with the revisions it was
// current in (so the state at any revision can be read back), and one row per revision saying
// what changed. Items belong to a layer: a template's base, or the admin's overlay on top of it.

import jsonMergePatch from 'json-merge-patch';
import { CrmError } from '../kernel/errors.ts';
import { andFilters, internalField, matchAll, where, type FilterNode } from '../filter/filter-tree.ts';
import type { CollectionSpec, Store, StoreTransaction } from '../store/store-port.ts';
import { mergeContributions } from './merge-contributions.ts';
import type { LocalizedText } from './generated/metadata.ts';
import type { MetadataDocument, Origin } from './metadata-set.ts';

export const adminLayer = 'admin';

/** The operation that wrote a revision; absent for a plain change of items (the designers, the metadata API). */
export type RevisionOperation =
  | {
      type: 'template'; template: string; action: 'install' | 'upgrade' | 'enableModule' | 'disableModule' | 'uninstall'; version?: string; title?: LocalizedText;
      /** The module switched on or off (enableModule, disableModule), with its label from the manifest. */
      module?: string; moduleLabel?: LocalizedText;
    }
  | { type: 'renameEntity'; from: string; to: string }
  | { type: 'renameField'; entity: string; field: string; to: string }
  | { type: 'changeFieldType'; entity: string; field: string; from: string; to: string }
  | { type: 'importConfiguration'; exportedAt: string; revision: number }
  | { type: 'revert'; revision: number };

/** One stored version of one item in one layer. */
export interface ItemRow {
  kind: string;
  name: string;
  layer: string;
  /** Full document (a base, or an admin item of its own) or a merge patch over the base. */
  format: 'document' | 'patch';
  content: Record<string, unknown>;
  origin: Origin;
  /** Base layers of a shared item merge in ascending order (a template's install sequence). */
  order?: number;
  /** For an overlay patch: the base it was made against, so that a later base can be compared with it. */
  against?: Record<string, unknown>;
  fromRevision: number;
  toRevision?: number;
}

export interface ItemChange {
  kind: string;
  name: string;
  action: 'create' | 'update' | 'delete';
  before?: MetadataDocument;
  after?: MetadataDocument;
}

export interface RevisionRecord {
  revision: number;
  at: string;
  by: string;
  /** An English one-liner (kept for older clients); `operation` says the same as data. */
  message: string;
  /** The operation that wrote the revision (absent for a plain change of items, and in revisions written before it was stored). */
  operation?: RevisionOperation;
  changes: ItemChange[];
}

/** A change to one item of one layer; `content` undefined removes the layer's item. */
export interface LayerWrite {
  kind: string;
  name: string;
  layer: string;
  format: 'document' | 'patch';
  content: Record<string, unknown> | undefined;
  origin: Origin;
  order?: number;
  against?: Record<string, unknown>;
}

export interface EffectiveItem {
  document: MetadataDocument;
  origin: Origin;
  /** Layers the item is made of, base first. */
  layers: string[];
  /** The item as its templates ship it, before the admin overlay (absent for admin-only items). */
  base?: Record<string, unknown>;
}

const itemsCollection = '_metaItems';
const revisionsCollection = '_metaRevisions';

export const metadataCollections: CollectionSpec[] = [
  {
    name: itemsCollection,
    indexes: [
      { name: 'current', keys: [{ path: ['toRevision'], direction: 1 }, { path: ['kind'], direction: 1 }], unique: false },
      { name: 'history', keys: [{ path: ['kind'], direction: 1 }, { path: ['name'], direction: 1 }, { path: ['fromRevision'], direction: 1 }], unique: false },
    ],
  },
  { name: revisionsCollection, indexes: [] },
];

const revisionId = (n: number): string => String(n).padStart(12, '0');

/** Item rows current at a revision (the latest when omitted). */
function currentAt(revision?: number): FilterNode {
  if (revision === undefined) return { kind: 'exists', field: internalField('toRevision', 'number'), exists: false };
  return andFilters(
    { kind: 'compare', field: internalField('fromRevision', 'number'), op: '$lte', value: revision },
    {
      kind: 'or',
      children: [
        { kind: 'exists', field: internalField('toRevision', 'number'), exists: false },
        { kind: 'compare', field: internalField('toRevision', 'number'), op: '$gt', value: revision },
      ],
    },
  );
}

/**
 * Base layers first (several document layers of a shared item deep-merge in `order`, the first
 * winning at conflicting values), the admin overlay last as a JSON merge patch (RFC 7386). An
 * overlay patch with no base under it (its template uninstalled, its module off) is dormant.
 */
export function composeLayers(rows: readonly ItemRow[]): EffectiveItem | undefined {
  const ordered = [...rows].sort((a, b) => Number(a.layer === adminLayer) - Number(b.layer === adminLayer) || (a.order ?? 0) - (b.order ?? 0) || a.layer.localeCompare(b.layer));
  let document: Record<string, unknown> | undefined;
  let base: Record<string, unknown> | undefined;
  for (const row of ordered) {
    if (row.layer === adminLayer && document !== undefined) base = structuredClone(document);
    if (row.format === 'patch') {
      if (document !== undefined) document = jsonMergePatch.apply(document, structuredClone(row.content)) as Record<string, unknown>;
    } else if (document !== undefined && row.layer !== adminLayer) {
      document = mergeContributions([document, row.content]);
    } else {
      document = structuredClone(row.content);
    }
  }
  if (!document) return undefined;
  // An item of templates alone: its base is the whole document (an admin's first change patches against it).
  if (!base && ordered.every((r) => r.layer !== adminLayer)) base = structuredClone(document);
  const last = ordered[ordered.length - 1]!;
  return { document: document as MetadataDocument, origin: ordered[0]!.origin.by === 'template' ? ordered[0]!.origin : last.origin, layers: ordered.map((r) => r.layer), ...(base ? { base } : {}) };
}

export class MetadataRepository {
  constructor(private readonly store: Store) {}

  async latestRevision(reader: Pick<Store, 'find'> = this.store): Promise<number> {
    const [latest] = await reader.find(revisionsCollection, { filter: matchAll, sort: [{ field: internalField('id'), direction: -1 }], limit: 1 });
    return latest ? Number(latest.id) : 0;
  }

  /** The effective items at a revision (the latest when omitted). */
  async loadItems(revision?: number): Promise<Map<string, EffectiveItem>> {
    const rows = await this.store.find(itemsCollection, { filter: currentAt(revision), sort: [], limit: 1_000_000 });
    const groups = new Map<string, ItemRow[]>();
    for (const row of rows) {
      const item = row.data as unknown as ItemRow;
      const key = `${item.kind}/${item.name}`;
      groups.set(key, [...(groups.get(key) ?? []), item]);
    }
    const items = new Map<string, EffectiveItem>();
    for (const [key, group] of groups) {
      const effective = composeLayers(group);
      if (effective) items.set(key, effective);
    }
    return items;
  }

  /** Every item's rows in every layer, current now. */
  async loadCurrentRows(): Promise<ItemRow[]> {
    const rows = await this.store.find(itemsCollection, { filter: currentAt(), sort: [], limit: 1_000_000 });
    return rows.map((r) => r.data as unknown as ItemRow);
  }

  /** The rows of one item in every layer, current now. */
  async loadLayers(kind: string, name: string): Promise<ItemRow[]> {
    const rows = await this.store.find(itemsCollection, { filter: andFilters(currentAt(), where({ kind, name })), sort: [], limit: 100 });
    return rows.map((r) => r.data as unknown as ItemRow);
  }

  /**
   * Writes one revision: closes the changed layers' current rows, inserts their new rows and the
   * revision record, all in one transaction. Fails with CONFLICT when another revision landed
   * since `expectedRevision` (the candidate was checked against an older state).
   */
  async commit(args: {
    writes: LayerWrite[]; changes: ItemChange[]; by: string; message: string; operation?: RevisionOperation; at: Date; expectedRevision: number;
    /** More work in the same transaction (checks and data migrations the change needs); throwing rolls it all back. */
    inTransaction?: (tx: StoreTransaction, revision: number) => Promise<void>;
  }): Promise<number> {
    return this.store.transaction(async (tx) => {
      const latest = await this.latestRevision(tx);
      if (latest !== args.expectedRevision) {
        throw new CrmError('CONFLICT', { en: `Metadata changed meanwhile (revision ${latest}); check again and retry`, zh: `元数据已被修改（版本 ${latest}），请重新校验后再试` });
      }
      const revision = latest + 1;
      for (const write of args.writes) await this.writeLayer(tx, write, revision);
      await args.inTransaction?.(tx, revision);
      const record: RevisionRecord = { revision, at: args.at.toISOString(), by: args.by, message: args.message, ...(args.operation ? { operation: args.operation } : {}), changes: args.changes };
      await tx.insert(revisionsCollection, { id: revisionId(revision), version: 1, revision, data: record as unknown as Record<string, unknown> });
      return revision;
    });
  }

  private async writeLayer(tx: StoreTransaction, write: LayerWrite, revision: number): Promise<void> {
    const current = await tx.find(itemsCollection, { filter: andFilters(currentAt(), where({ kind: write.kind, name: write.name, layer: write.layer })), sort: [], limit: 10 });
    for (const row of current) {
      const closed = { ...row, version: row.version + 1, data: { ...row.data, toRevision: revision } };
      if (!(await tx.replace(itemsCollection, closed, row.version))) throw new CrmError('CONFLICT', 'Metadata changed meanwhile; retry');
    }
    if (write.content === undefined) return;
    const row: ItemRow = {
      kind: write.kind, name: write.name, layer: write.layer, format: write.format, content: write.content, origin: write.origin, fromRevision: revision,
      ...(write.order !== undefined ? { order: write.order } : {}),
      ...(write.against !== undefined ? { against: write.against } : {}),
    };
    await tx.insert(itemsCollection, { id: `${revisionId(revision)}-${write.kind}-${write.name}-${write.layer}`, version: 1, revision, data: row as unknown as Record<string, unknown> });
  }

  /** Revisions newest first, a page at a time: those before revision `before`; `next` is where the following page starts. */
  async listRevisions(page: { before?: number; limit: number }): Promise<{ items: RevisionRecord[]; next: number | null }> {
    const filter: FilterNode = page.before === undefined ? matchAll : { kind: 'compare', field: internalField('id'), op: '$lt', value: revisionId(page.before) };
    const rows = await this.store.find(revisionsCollection, { filter, sort: [{ field: internalField('id'), direction: -1 }], limit: page.limit + 1 });
    const items = rows.slice(0, page.limit).map((r) => r.data as unknown as RevisionRecord);
    return { items, next: rows.length > page.limit ? items[items.length - 1]!.revision : null };
  }

  async getRevision(revision: number): Promise<RevisionRecord | undefined> {
    const row = await this.store.get(revisionsCollection, revisionId(revision));
    return row?.data as unknown as RevisionRecord | undefined;
  }
}
