// store/mongodb/lookup-stages-mongo: the `$lookup` stages a query through lookup paths needs. Each
// chain of hops becomes one left join: the target whose `_id` equals the key and which passes the
// caller's scope, unwound so that an absent target leaves the alias absent (a one-element array
// would sort and compare like its element, but an empty one sorts before null). Queries without
// lookup paths need none of this and keep running as plain finds.

import type { Document } from 'mongodb';
import type { FilterableField, FilterNode, LookupHop, SortKey } from '../../filter/filter-tree.ts';
import { compileFilterMongo, mongoFieldName, viaAlias } from './compile-filter-mongo.ts';

/** The lookup paths a filter and sort read, each chain once, shorter chains first. */
export function lookupChainsOf(filter: FilterNode, sort: readonly SortKey[] = []): (readonly LookupHop[])[] {
  const chains = new Map<string, readonly LookupHop[]>();
  const add = (field: FilterableField): void => {
    const via = field.via ?? [];
    for (let length = 1; length <= via.length; length += 1) {
      const chain = via.slice(0, length);
      chains.set(viaAlias(chain), chain);
    }
  };
  const visit = (node: FilterNode): void => {
    if (node.kind === 'and' || node.kind === 'or') node.children.forEach(visit);
    else if (node.kind === 'not') visit(node.child);
    else if (node.kind !== 'true') add(node.field);
  };
  visit(filter);
  for (const key of sort) add(key.field);
  return [...chains.values()].sort((a, b) => a.length - b.length);
}

/** `$lookup` + `$unwind` per chain, in an order where each chain's key is already joined. */
export function lookupStages(chains: readonly (readonly LookupHop[])[]): Document[] {
  return chains.flatMap((chain) => {
    const hop = chain[chain.length - 1]!;
    const prefix = chain.length > 1 ? `${viaAlias(chain.slice(0, -1))}.` : '';
    const alias = viaAlias(chain);
    const pipeline: Document[] = [{ $match: { $expr: { $eq: ['$_id', '$$key'] } } }];
    if (hop.scope.kind !== 'true') pipeline.push({ $match: compileFilterMongo(hop.scope) });
    return [
      { $lookup: { from: hop.collection, let: { key: `$${prefix}${mongoFieldName(hop.localPath)}` }, pipeline, as: alias } },
      { $unwind: { path: `$${alias}`, preserveNullAndEmptyArrays: true } },
    ];
  });
}

/** Removes the joined targets again before documents leave the pipeline. */
export function dropLookupStage(chains: readonly (readonly LookupHop[])[]): Document[] {
  return chains.length === 0 ? [] : [{ $project: Object.fromEntries(chains.map((chain) => [viaAlias(chain), 0])) }];
}
