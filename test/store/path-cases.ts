// Data for lookup paths in the store conformance suite: deals point at organisations, which point at
// regions. Scopes stand in for the caller's read scope on each target: a hidden organisation or a
// secret region yields nothing, exactly like a dangling or absent id.

import { filterOperators, type FilterableField, type FilterNode, type LookupHop, type ValueType } from '../../engine/filter/filter-tree.ts';
import { parseFilter } from '../../engine/filter/parse-filter.ts';
import type { FieldResolver } from '../../engine/filter/parse-filter.ts';

export const pathCollections = { region: 'pathRegion', org: 'pathOrg', deal: 'pathDeal' } as const;

export const pathRecords: Record<keyof typeof pathCollections, Record<string, Record<string, unknown>>> = {
  region: { g1: { name: 'North' }, g2: { name: 'South', secret: true } },
  org: {
    o1: { name: 'Acme', industry: 'retail', region: 'g1', tier: 2 },
    o2: { name: 'Beta', industry: 'bank', region: 'g2', tier: 1 },
    o3: { name: 'Gamma', industry: 'retail', region: 'g1', tier: 3, hidden: true },
    o4: { name: 'Delta', region: 'gX' },
  },
  deal: { d1: { org: 'o1', amount: 5 }, d2: { org: 'o2' }, d3: { org: 'o3' }, d4: {}, d5: { org: 'o9' }, d6: { org: 'o4' }, d7: { org: 'o1', amount: 1 } },
};

const scopeOf = (json: unknown): FilterNode => parseFilter(json, (path) => plain(path, 'boolean'));
const orgHop: LookupHop = { collection: pathCollections.org, localPath: ['org'], scope: scopeOf({ hidden: { $ne: true } }) };
const regionHop: LookupHop = { collection: pathCollections.region, localPath: ['region'], scope: scopeOf({ secret: { $ne: true } }) };

function plain(dotted: string, valueType: ValueType): FilterableField {
  return { path: dotted.split('.'), valueType, array: false, operators: filterOperators, sortable: true };
}

const pathFields: Record<string, FilterableField> = {
  org: plain('org', 'string'),
  amount: plain('amount', 'number'),
  'org.name': { ...plain('name', 'string'), via: [orgHop] },
  'org.industry': { ...plain('industry', 'string'), via: [orgHop] },
  'org.tier': { ...plain('tier', 'number'), via: [orgHop] },
  'org.id': { ...plain('id', 'string'), via: [orgHop] },
  'org.region.name': { ...plain('name', 'string'), via: [orgHop, regionHop] },
};

export const resolvePathField: FieldResolver = (dotted) => pathFields[dotted];

/** What each path reads for each deal, under the scopes above: the independent expectation for keyset positions. */
export function pathValue(dealId: string, dotted: string): string | number | null {
  const deal = pathRecords.deal[dealId]!;
  if (!dotted.includes('.')) return (deal[dotted] as string | number | undefined) ?? null;
  const org = pathRecords.org[deal.org as string];
  if (!org || org.hidden === true) return null;
  const [, first, second] = dotted.split('.');
  if (first === 'id') return deal.org as string;
  if (second === undefined) return (org[first!] as string | number | undefined) ?? null;
  const region = pathRecords.region[org.region as string];
  return region && region.secret !== true ? ((region[second] as string | undefined) ?? null) : null;
}

export const pathFilterCases: [string, unknown, string[]][] = [
  ['one hop equality', { 'org.industry': 'retail' }, ['d1', 'd7']],
  ['$ne matches absent, dangling and out-of-scope targets', { 'org.industry': { $ne: 'retail' } }, ['d2', 'd3', 'd4', 'd5', 'd6']],
  ['null: no target, or a target without the value', { 'org.industry': null }, ['d3', 'd4', 'd5', 'd6']],
  ['$exists true', { 'org.industry': { $exists: true } }, ['d1', 'd2', 'd7']],
  ['an out-of-scope target cannot be found by its values', { 'org.name': 'Gamma' }, []],
  ['range on a number', { 'org.tier': { $gt: 1 } }, ['d1', 'd7']],
  ['$in with null', { 'org.tier': { $in: [1, null] } }, ['d2', 'd3', 'd4', 'd5', 'd6']],
  ['$not', { 'org.tier': { $not: { $gt: 1 } } }, ['d2', 'd3', 'd4', 'd5', 'd6']],
  ['regex', { 'org.name': { $regex: '^[ab]', $options: 'i' } }, ['d1', 'd2', 'd7']],
  ['the target id through the path', { 'org.id': { $in: ['o2', 'o3', 'o9'] } }, ['d2']],
  ['two hops', { 'org.region.name': 'North' }, ['d1', 'd7']],
  ['two hops: an out-of-scope region is absent', { 'org.region.name': { $exists: false } }, ['d2', 'd3', 'd4', 'd5', 'd6']],
  ['paths beside plain fields under $or and $nor', { $or: [{ 'org.industry': 'bank' }, { org: { $exists: false } }], $nor: [{ amount: 5 }] }, ['d2', 'd4']],
];

export const pathSortCases: [string, string[]][] = [
  ['org.name', ['d3', 'd4', 'd5', 'd1', 'd7', 'd2', 'd6']],
  ['-org.tier,amount', ['d7', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6']],
  ['org.region.name,-amount', ['d2', 'd3', 'd4', 'd5', 'd6', 'd1', 'd7']],
];
