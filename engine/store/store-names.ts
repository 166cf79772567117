// store/store-names: what both adapters agree on about names — which collection names are valid,
// which document paths may reach a query, how managed indexes are named and how a path is reported.

import { createHash } from 'node:crypto';
import { CrmError, pointer } from '../kernel/errors.ts';
import { systemColumns } from '../filter/filter-tree.ts';
import type { IndexSpec } from './store-port.ts';

export const collectionNamePattern = /^_?[a-zA-Z][a-zA-Z0-9]*$/;
// Field names in metadata are identifiers; anything else could break out of a JSON path literal.
const pathSegmentPattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function assertCollectionName(name: string): void {
  if (!collectionNamePattern.test(name)) {
    throw new CrmError('INTERNAL', `Invalid collection name "${name}"`);
  }
}

export function assertDocumentPath(path: readonly string[]): void {
  if (path.length === 0 || !path.every((segment) => pathSegmentPattern.test(segment))) {
    throw new CrmError('INTERNAL', `Invalid document path "${path.join('.')}"`);
  }
}

/** `id`, `version` and `revision` live beside the document, not in it. */
export function systemColumnOf(path: readonly string[]): (typeof systemColumns)[number] | undefined {
  return path.length === 1 ? systemColumns.find((column) => column === path[0]) : undefined;
}

/** The JSON pointer a record-level issue about this path uses: `/address/city`. */
export function pointerOfPath(path: readonly string[]): string {
  return pointer(...path);
}

/**
 * A managed index's physical name: a readable part from the spec name plus a hash of the whole
 * definition, so a changed definition under the same name is dropped and recreated.
 */
export function managedIndexName(prefix: string, spec: IndexSpec): string {
  const definition = JSON.stringify({ name: spec.name, keys: spec.keys, unique: spec.unique });
  const hash = createHash('sha256').update(definition).digest('hex').slice(0, 10);
  const readable = spec.name.replace(/[^A-Za-z0-9]/g, '_').slice(0, 40);
  return `${prefix}${readable}_${hash}`;
}

/** Checks what an engine-built CollectionSpec must satisfy before any DDL runs. */
export function assertIndexSpecs(indexes: readonly IndexSpec[]): void {
  const names = new Set<string>();
  for (const spec of indexes) {
    if (names.has(spec.name)) throw new CrmError('INTERNAL', `Index "${spec.name}" is declared twice`);
    names.add(spec.name);
    if (spec.keys.length === 0) throw new CrmError('INTERNAL', `Index "${spec.name}" has no keys`);
    for (const key of spec.keys) assertDocumentPath(key.path);
  }
}
