// fields/lookup-reads: what formulas and rules read through lookups (`account.industry`,
// `account.region.name`: at most two hops). Checked on save (every step must name a field of its
// target), compiled into a tree the record service expands before evaluating, and turned around
// into feeds on each target entity so that a change there recomputes the formulas that read it.

import { compileExpression } from '../expressions/compile-expression.ts';
import { systemFieldNames } from './system-fields.ts';
import type { IssueDetail } from '../kernel/errors.ts';
import type { EntityDefinition } from '../metadata/generated/metadata.ts';

export const maxLookupReadHops = 2;

/** Lookup field → what is read from its target: fields, and further lookups expanded in turn. */
export interface ThroughLookup {
  readonly target: string;
  readonly fields: ReadonlySet<string>;
  readonly next: ReadonlyMap<string, ThroughLookup>;
}
export type ThroughLookups = ReadonlyMap<string, ThroughLookup>;

/** Records of `source` whose formulas read this entity through `chain` (lookup fields from the source). */
export interface LookupFormulaFeed {
  readonly source: string;
  readonly chain: readonly string[];
  /** The entity of the first hop when the chain has two. */
  readonly middle?: string;
  /** Fields of this entity the formulas read: only their change matters. */
  readonly fields: ReadonlySet<string>;
}

interface AstNode {
  type?: string;
  value?: unknown;
  steps?: AstNode[];
  [key: string]: unknown;
}

/** Every leading run of plain name steps (`a.b.c`) of every path in an expression. */
function namePaths(source: string): string[][] {
  const { expression } = compileExpression(source, '');
  if (!expression) return [];
  const out: string[][] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const ast = node as AstNode;
    if (ast.type === 'path' && Array.isArray(ast.steps)) {
      const names: string[] = [];
      for (const step of ast.steps) {
        if (step.type !== 'name' || typeof step.value !== 'string' || Object.keys(step).some((k) => k === 'stages' || k === 'predicate')) break;
        names.push(step.value);
      }
      if (names.length > 1) out.push(names);
    }
    for (const value of Object.values(ast)) if (typeof value === 'object') visit(value);
  };
  visit(expression.compiled.ast());
  return out;
}

type Find = (name: string) => EntityDefinition | undefined;

/**
 * Checks the lookup paths of one expression: each step after a lookup must be a field of its
 * target; at most two hops. Paths not starting at a lookup are left to the other checks.
 */
export function checkLookupReads(args: { source: string; entity: EntityDefinition; path: string; findEntity: Find }): IssueDetail[] {
  const issues: IssueDetail[] = [];
  for (const names of namePaths(args.source)) {
    let entity: EntityDefinition | undefined = args.entity;
    for (let index = 0; index < names.length - 1 && entity; index += 1) {
      const field = entity.fields[names[index]!];
      if (field?.type !== 'lookup') break;
      if (index >= maxLookupReadHops) {
        issues.push({ path: args.path, message: `"${names.join('.')}" goes through more than ${maxLookupReadHops} lookups` });
        break;
      }
      const target = args.findEntity(field.to);
      const next = names[index + 1]!;
      if (!target) break;
      if (!Object.hasOwn(target.fields, next) && !systemFieldNames.has(next)) {
        issues.push({ path: args.path, message: `"${names.slice(0, index + 2).join('.')}": "${next}" is not a field of ${target.name}` });
        break;
      }
      entity = target;
    }
  }
  return issues;
}

/** What one expression reads through lookups: each target entity and field (the middle lookup included). */
export function throughReadsOf(source: string, entity: EntityDefinition, findEntity: Find): { entity: string; field: string }[] {
  const reads: { entity: string; field: string }[] = [];
  for (const names of namePaths(source)) {
    let current: EntityDefinition | undefined = entity;
    for (let index = 0; index < Math.min(names.length - 1, maxLookupReadHops) && current; index += 1) {
      const field = current.fields[names[index]!];
      if (field?.type !== 'lookup') break;
      current = findEntity(field.to);
      if (current) reads.push({ entity: current.name, field: names[index + 1]! });
    }
  }
  return reads;
}

/** The lookups an entity's formulas and rules read through, as a tree. */
export function compileThroughLookups(entity: EntityDefinition, findEntity: Find): ThroughLookups {
  const sources = [
    ...Object.values(entity.fields).flatMap((f) => (f.type === 'formula' ? [f.expression] : [])),
    ...Object.values(entity.rules ?? {}).map((rule) => rule.when),
  ];
  type Mutable = { target: string; fields: Set<string>; next: Map<string, Mutable> };
  const root = new Map<string, Mutable>();
  for (const names of sources.flatMap(namePaths)) {
    let level = root;
    let current: EntityDefinition | undefined = entity;
    for (let index = 0; index < Math.min(names.length - 1, maxLookupReadHops) && current; index += 1) {
      const field = current.fields[names[index]!];
      if (field?.type !== 'lookup') break;
      const target = findEntity(field.to);
      if (!target) break;
      let node = level.get(names[index]!);
      if (!node) level.set(names[index]!, (node = { target: target.name, fields: new Set(), next: new Map() }));
      node.fields.add(names[index + 1]!);
      level = node.next;
      current = target;
    }
  }
  return root;
}

const treesBySet = new WeakMap<object, WeakMap<EntityDefinition, ThroughLookups>>();

/** compileThroughLookups, once per entity definition and metadata set (every target's feeds need every tree). */
export function throughLookupsOf(entity: EntityDefinition, set: { entities(): EntityDefinition[] }): ThroughLookups {
  let trees = treesBySet.get(set);
  if (!trees) treesBySet.set(set, (trees = new WeakMap()));
  let tree = trees.get(entity);
  if (!tree) {
    const byName = new Map(set.entities().map((e) => [e.name, e]));
    trees.set(entity, (tree = compileThroughLookups(entity, (name) => byName.get(name))));
  }
  return tree;
}

/** For `target`: every entity whose formulas or rules read it through one or two lookups. */
export function lookupFormulaFeedsInto(target: string, set: { entities(): EntityDefinition[] }): LookupFormulaFeed[] {
  const feeds: LookupFormulaFeed[] = [];
  for (const source of set.entities()) {
    for (const [first, hop] of throughLookupsOf(source, set)) {
      if (hop.target === target) feeds.push({ source: source.name, chain: [first], fields: hop.fields });
      for (const [second, inner] of hop.next) {
        if (inner.target === target) feeds.push({ source: source.name, chain: [first, second], middle: hop.target, fields: inner.fields });
      }
    }
  }
  return feeds;
}
