// The duplicate scan: every record of an entity the caller may read, checked against its duplicate
// rules (exact, normalized, fuzzy), grouped into clusters with scores. Exact and normalized rules
// group by the folded values of their fields; fuzzy rules first group by the folded non-text fields
// (blocking), then compare the text fields of neighbours in sorted order of each name key and of
// its reverse (the sorted-neighbourhood method), so the scan stays near O(n log n) and never holds
// more than the matched fields of each record.

import type { CompiledDuplicateRule, CompiledEntity } from '../compile/compiled-model.ts';
import type { FilterNode } from '../filter/filter-tree.ts';
import { localize, type Locale } from '../kernel/i18n.ts';
import { pagesById } from '../store/read-pages.ts';
import type { StoreReader } from '../store/store-port.ts';
import { fuzzyRow, fuzzyScore, matchKey } from '../records/match-keys.ts';

export interface DuplicatePair {
  a: string;
  b: string;
  score: number;
}

export interface DuplicateCluster {
  rule: string;
  /** The rule's label in the caller's language, when it has one. */
  ruleLabel?: string;
  /** The least score of the pairs that joined the cluster (1 = equal after folding). */
  score: number;
  ids: string[];
  pairs: DuplicatePair[];
}

const pageSize = 2000;
const window = 8;
const maxBlock = 60;

interface Row {
  id: string;
  /** Folded values of the rule's non-text fields (all of them for exact and normalized rules). */
  block: string;
  /** Name keys of the text fields (fuzzy rules). */
  names: string[];
}

function rowOf(entity: CompiledEntity, rule: CompiledDuplicateRule, id: string, data: Record<string, unknown>): Row | undefined {
  // Exact and normalized rules: the key a write checks too (records/match-keys.ts).
  if (rule.method !== 'fuzzy') {
    const key = matchKey(entity, rule, data);
    return key === undefined ? undefined : { id, block: key, names: [] };
  }
  const fuzzy = fuzzyRow(entity, rule, data);
  return fuzzy ? { id, ...fuzzy } : undefined;
}

class UnionFind {
  private readonly parent = new Map<string, string>();
  find(x: string): string {
    let root = x;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root)!;
    this.parent.set(x, root);
    return root;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(rb < ra ? ra : rb, rb < ra ? rb : ra);
  }
}

function pairsOf(rule: CompiledDuplicateRule, rows: Row[]): DuplicatePair[] {
  const pairs = new Map<string, DuplicatePair>();
  const add = (a: Row, b: Row, score: number) => {
    const [x, y] = a.id < b.id ? [a.id, b.id] : [b.id, a.id];
    const key = `${x}/${y}`;
    if (!pairs.has(key)) pairs.set(key, { a: x, b: y, score: Math.round(score * 1000) / 1000 });
  };
  const blocks = new Map<string, Row[]>();
  for (const row of rows) {
    const list = blocks.get(row.block);
    if (list) list.push(row);
    else blocks.set(row.block, [row]);
  }
  for (const block of blocks.values()) {
    if (block.length < 2) continue;
    if (rule.method !== 'fuzzy' || block[0]!.names.length === 0) {
      for (let i = 1; i < block.length; i++) add(block[0]!, block[i]!, 1);
      continue;
    }
    const compare = (a: Row, b: Row) => {
      const score = fuzzyScore(a, b);
      if (score >= rule.threshold) add(a, b, score);
    };
    if (block.length <= maxBlock) {
      for (let i = 0; i < block.length; i++) for (let j = i + 1; j < block.length; j++) compare(block[i]!, block[j]!);
      continue;
    }
    // Large blocks: neighbours in sorted order of the joined name keys, and of their reverse (a typo
    // in the first letters sorts far away forwards, near backwards).
    const forward = (r: Row) => r.names.join('\u0000');
    const backward = (r: Row) => [...forward(r)].reverse().join('');
    for (const keyOf of [forward, backward]) {
      const sorted = block.map((r) => ({ r, k: keyOf(r) })).sort((x, y) => (x.k < y.k ? -1 : x.k > y.k ? 1 : 0));
      for (let i = 0; i < sorted.length; i++) for (let j = i + 1; j <= i + window && j < sorted.length; j++) compare(sorted[i]!.r, sorted[j]!.r);
    }
  }
  return [...pairs.values()];
}

/** Reads the entity page by page (only records `scope` lets through) and returns the clusters of each rule. */
export async function findDuplicateClusters(args: { reader: StoreReader; entity: CompiledEntity; rules: readonly CompiledDuplicateRule[]; scope: FilterNode; locale: Locale }): Promise<DuplicateCluster[]> {
  const { reader, entity, rules } = args;
  const rows = new Map<string, Row[]>(rules.map((r) => [r.name, []]));
  for await (const page of pagesById(reader, entity.name, args.scope, pageSize)) {
    for (const record of page) {
      for (const rule of rules) {
        const row = rowOf(entity, rule, record.id, record.data);
        if (row) rows.get(rule.name)!.push(row);
      }
    }
  }
  const clusters: DuplicateCluster[] = [];
  for (const rule of rules) {
    const pairs = pairsOf(rule, rows.get(rule.name)!);
    const sets = new UnionFind();
    for (const p of pairs) sets.union(p.a, p.b);
    // Each cluster's ids gathered in a set: a list searched for each pair cost the square of the
    // cluster's size (a placeholder e-mail shared by thousands of migrated records is one cluster).
    const grouped = new Map<string, { cluster: DuplicateCluster; ids: Set<string> }>();
    for (const p of pairs) {
      const root = sets.find(p.a);
      let group = grouped.get(root);
      if (!group) grouped.set(root, (group = { cluster: { rule: rule.name, ...(rule.label ? { ruleLabel: localize(rule.label, args.locale) } : {}), score: 1, ids: [], pairs: [] }, ids: new Set() }));
      group.cluster.pairs.push(p);
      group.cluster.score = Math.min(group.cluster.score, p.score);
      group.ids.add(p.a).add(p.b);
    }
    for (const { cluster, ids } of grouped.values()) {
      cluster.ids = [...ids].sort();
      clusters.push(cluster);
    }
  }
  return clusters.sort((x, y) => y.score - x.score || (x.ids[0]! < y.ids[0]! ? -1 : 1));
}
