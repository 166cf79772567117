// A complete set of effective metadata documents at one revision, by kind and name. Immutable:
// a change produces a new set.

import type { EntityDefinition } from './generated/metadata.ts';

/** Any metadata document: every kind has `kind` and `name`. */
export interface MetadataDocument {
  kind: string;
  name: string;
  [key: string]: unknown;
}

/** Where an item comes from: an admin, or a template at a version (templates layer admin changes over it). */
export type Origin = { by: 'admin'; user?: string } | { by: 'template'; template: string; version: string };

export class MetadataSet {
  private readonly byKind: ReadonlyMap<string, ReadonlyMap<string, MetadataDocument>>;
  /** Sorted lists by kind, made on first use (a set never changes). */
  private readonly sorted = new Map<string, readonly MetadataDocument[]>();

  constructor(documents: Iterable<MetadataDocument>) {
    const byKind = new Map<string, Map<string, MetadataDocument>>();
    for (const doc of documents) {
      let names = byKind.get(doc.kind);
      if (!names) byKind.set(doc.kind, (names = new Map()));
      names.set(doc.name, doc);
    }
    this.byKind = byKind;
  }

  get(kind: string, name: string): MetadataDocument | undefined {
    return this.byKind.get(kind)?.get(name);
  }

  list(kind: string): MetadataDocument[] {
    let sorted = this.sorted.get(kind);
    if (!sorted) this.sorted.set(kind, (sorted = [...(this.byKind.get(kind)?.values() ?? [])].sort((a, b) => a.name.localeCompare(b.name))));
    return [...sorted];
  }

  entity(name: string): EntityDefinition | undefined {
    return this.get('entity', name) as EntityDefinition | undefined;
  }

  entities(): EntityDefinition[] {
    return this.list('entity') as unknown as EntityDefinition[];
  }

  all(): MetadataDocument[] {
    return [...this.byKind.values()].flatMap((names) => [...names.values()]);
  }

  /** A new set with one document put in place or removed. */
  with(kind: string, name: string, document: MetadataDocument | undefined): MetadataSet {
    const rest = this.all().filter((d) => !(d.kind === kind && d.name === name));
    return new MetadataSet(document ? [...rest, document] : rest);
  }
}
