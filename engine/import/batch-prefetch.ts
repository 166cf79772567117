// What every row of an import batch would otherwise ask the store on its own, asked once for the
// batch: the records matching the rows' upsert keys, and whether any stored record matches a row
// under an exact duplicate rule, or has a row's folded key under a normalized one — one `IN (...)`
// query per key and per rule for a batch (500 to 4,000 rows).
// Every write of the batch's transaction (by the import or by anything it triggers) is noted, and
// a key or rule value written since the prefetch is asked again the usual way, so answers stay
// what the per-row query would have said.

import type { CompiledEntity } from '../compile/compiled-model.ts';
import { andFilters, internalField, where, type FilterNode, type ScalarValue } from '../filter/filter-tree.ts';
import type { DuplicateHints } from '../records/compute-values.ts';
import { matchKey, matchKeysCollection } from '../records/match-keys.ts';
import type { RecordValues } from '../records/record-shape.ts';
import type { StoredRecord, StoreTransaction } from '../store/store-port.ts';

type DuplicateRule = CompiledEntity['duplicateRules'][number];

/** One prefetched question: records of `entity` by the values of `fields`. */
interface Probe {
  entity: CompiledEntity;
  fields: readonly string[];
  /** Loose tuples (see looseTuple) of the stored records found. */
  found: Set<string>;
  /** The tuples asked: only their absence is known (a row's values may differ at its write — a default filled in). */
  asked: Set<string>;
  /** Tuples written in this transaction since the prefetch: ask the store again. */
  written: Set<string>;
  /** The records found, by loose tuple: what an upsert key's query would read (see knownRecords). */
  records: Map<string, StoredRecord[]>;
  /** Records of the entity written or deleted since the prefetch: one of them found is read again. */
  writtenIds: Set<string>;
}

const isScalar = (v: unknown): v is string | number | boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/**
 * The tuple of `fields` in `values` — every value as lower-case text, so that whatever the store's
 * comparison calls equal is equal here too (only absence is trusted: a tuple found, or loosely
 * found, is asked again) — or undefined when one is absent or not a scalar.
 */
export function looseTuple(values: Record<string, unknown>, fields: readonly string[]): string | undefined {
  // Parts joined by NUL: two different tuples that join alike (a NUL inside a value) only make a
  // found or written tuple look present — asked again, never wrongly taken as absent.
  let tuple = '';
  for (let i = 0; i < fields.length; i++) {
    const value = values[fields[i]!];
    if (!isScalar(value)) return undefined;
    tuple = i === 0 ? String(value).toLowerCase() : `${tuple}\u0000${String(value).toLowerCase()}`;
  }
  return tuple;
}

/**
 * A stored record's values as a probe reads them: with its id when the probe's fields name `id` (an
 * upsert key may be the id, which the data does not hold). Only then copied: every write of a bulk
 * import passes here, and a copy per record was garbage per row.
 */
const probeValues = (record: StoredRecord, fields: readonly string[]): Record<string, unknown> => (fields.includes('id') ? { ...record.data, id: record.id } : record.data);

function filterableOf(entity: CompiledEntity, field: string) {
  return field === 'id' ? internalField('id') : (entity.filterables.get(field) ?? internalField(field));
}

/**
 * The field a composite is asked by: the id, or one that leads an index of the entity (the store seeks it), the
 * first such in the rule's order; else the one with the most distinct values in the batch (the fewest
 * stored records per value, as far as the batch tells).
 */
function leadField(entity: CompiledEntity, fields: readonly string[], rows: readonly RecordValues[]): string {
  if (fields.length === 1) return fields[0]!;
  if (fields.includes('id')) return 'id';
  const leading = fields.find((field) => entity.collection.indexes.some((index) => !index.elements && index.keys[0]?.bucket === undefined && index.keys[0]?.path.length === 1 && index.keys[0].path[0] === field));
  if (leading !== undefined) return leading;
  let best = fields[0]!;
  let bestCount = -1;
  for (const field of fields) {
    const count = new Set(rows.map((row) => row[field])).size;
    if (count > bestCount) [best, bestCount] = [field, count];
  }
  return best;
}

/** A probe's fields as one key, made once per fields array (the same mapping key or rule each row): no string built per row. */
const fieldsKeys = new WeakMap<readonly string[], string>();
function fieldsKey(fields: readonly string[]): string {
  let key = fieldsKeys.get(fields);
  if (key === undefined) fieldsKeys.set(fields, (key = fields.join('\u0000')));
  return key;
}

/** The folded keys of a normalized rule asked for a batch (records/match-keys.ts): as a Probe, by key. */
interface KeyProbe {
  found: Set<string>;
  asked: Set<string>;
  written: Set<string>;
}

/** A lookup's keys read ahead for a batch: the records holding each asked key (by loose tuple), as Probe. */
interface LookupProbe {
  by: string;
  found: Map<string, StoredRecord[]>;
  asked: Set<string>;
  written: Set<string>;
  /** Records of the entity written or deleted since: one of them found is asked again (it may hold the key no more). */
  writtenIds: Set<string>;
}

/** What a lookup key resolves to from a batch's read-ahead, or `ask` (the store is asked, as without one). */
export type PrefetchedLookup = { id: string } | 'several' | 'none' | 'ask';

export class BatchPrefetch implements DuplicateHints {
  /** `commonKeys`: the job's memo of common fuzzy keys, kept from batch to batch. */
  constructor(readonly commonKeys?: Set<string>) {}

  /** By entity, then by fields. */
  private readonly probes = new Map<string, Map<string, Probe>>();
  /** By entity and rule (`entity/rule`). */
  private readonly keyProbes = new Map<string, KeyProbe>();
  /** By entity, then by the field looked up by. */
  private readonly lookupProbes = new Map<string, Map<string, LookupProbe>>();

  /**
   * Reads the records of `entity` whose `by` holds one of `keys` (the batch's lookup keys), within
   * `scope` (the caller's read scope, as each lookup is asked) — one query for the batch where each
   * distinct key was a query of its own, which read every record of the entity when `by` has no
   * index. Gives up (no probe) when too many match.
   */
  async prefetchLookups(tx: StoreTransaction, entity: CompiledEntity, by: string, keys: ReadonlySet<ScalarValue>, scope: FilterNode): Promise<void> {
    const probe: LookupProbe = { by, found: new Map(), asked: new Set(), written: new Set(), writtenIds: new Set() };
    for (const key of keys) probe.asked.add(String(key).toLowerCase());
    if (keys.size > 0) {
      const limit = keys.size * 2 + 16;
      const records = await tx.find(entity.name, { filter: andFilters({ kind: 'in', field: filterableOf(entity, by), values: [...keys], negate: false }, scope), sort: [], limit });
      if (records.length >= limit) return;
      for (const record of records) {
        const tuple = looseTuple(probeValues(record, [by]), [by]);
        if (tuple === undefined) continue;
        const list = probe.found.get(tuple);
        if (list) list.push(record);
        else probe.found.set(tuple, [record]);
      }
    }
    let ofEntity = this.lookupProbes.get(entity.name);
    if (!ofEntity) this.lookupProbes.set(entity.name, (ofEntity = new Map()));
    ofEntity.set(by, probe);
  }

  /**
   * A lookup key as the read-ahead answers it: the one record holding it, several, none — or `ask`
   * when the read-ahead cannot say (not asked, written since, or records whose values differ from
   * the key only in letter case, which the store's comparison may or may not call equal).
   */
  lookup(entity: CompiledEntity, by: string, key: ScalarValue): PrefetchedLookup {
    const probe = this.lookupProbes.get(entity.name)?.get(by);
    const tuple = String(key).toLowerCase();
    if (!probe || !probe.asked.has(tuple) || probe.written.has(tuple)) return 'ask';
    const found = probe.found.get(tuple);
    if (!found) return 'none';
    if (found.some((record) => probe.writtenIds.has(record.id))) return 'ask';
    const holding = by === 'id' ? found.filter((record) => record.id === key) : found.filter((record) => record.data[by] === key);
    if (holding.length !== found.length) return 'ask';
    return holding.length === 1 ? { id: holding[0]!.id } : 'several';
  }

  /**
   * Reads which of the rows' folded keys under a normalized rule some stored record has — one query
   * for the batch, where each row would look its key up (and, in a bulk write, write the batch's
   * held records first).
   */
  async prefetchKeys(tx: StoreTransaction, entity: CompiledEntity, rule: DuplicateRule, rows: readonly RecordValues[]): Promise<void> {
    const asked = new Set<string>();
    for (const row of rows) {
      const key = matchKey(entity, rule, row);
      if (key !== undefined) asked.add(key);
    }
    const probe: KeyProbe = { found: new Set(), asked, written: new Set() };
    if (asked.size > 0) {
      const limit = asked.size * 4 + 16;
      const entries = await tx.find(matchKeysCollection.name, { filter: andFilters(where({ entity: entity.name, rule: rule.name }), { kind: 'in', field: internalField('key'), values: [...asked], negate: false }), sort: [], limit });
      if (entries.length >= limit) return;
      for (const entry of entries) probe.found.add(String(entry.data['key']));
    }
    this.keyProbes.set(`${entity.name}/${rule.name}`, probe);
  }

  /**
   * Reads the records of `entity` whose `fields` hold one of the rows' tuples. Gives up (no probe)
   * when too many match. A composite is asked by one of its fields (leadField) and the other parts
   * are matched here: `a IN (…) AND b IN (…)` made SQLite seek every pair of the two lists through a
   * composite index — a re-run of a 4,000-row batch whose names were all stored, a million seeks.
   */
  async prefetch(tx: StoreTransaction, entity: CompiledEntity, fields: readonly string[], rows: readonly RecordValues[]): Promise<void> {
    const lead = leadField(entity, fields, rows);
    const leadValues = new Set<ScalarValue>();
    const asked = new Set<string>();
    for (const row of rows) {
      const tuple = looseTuple(row, fields);
      if (tuple === undefined) continue;
      leadValues.add(row[lead] as ScalarValue);
      asked.add(tuple);
    }
    const probe: Probe = { entity, fields, found: new Set(), asked, written: new Set(), records: new Map(), writtenIds: new Set() };
    if (asked.size > 0) {
      const filter: FilterNode = { kind: 'in', field: filterableOf(entity, lead), values: [...leadValues], negate: false };
      const limit = rows.length * 4 + 16;
      const records = await tx.find(entity.name, { filter, sort: [], limit });
      // So many records share the lead values that the answer is not worth reading: leave it to the per-row queries.
      if (records.length >= limit) return;
      for (const record of records) {
        const tuple = looseTuple(probeValues(record, fields), fields);
        if (tuple === undefined) continue;
        probe.found.add(tuple);
        const list = probe.records.get(tuple);
        if (list) list.push(record);
        else probe.records.set(tuple, [record]);
      }
    }
    let ofEntity = this.probes.get(entity.name);
    if (!ofEntity) this.probes.set(entity.name, (ofEntity = new Map()));
    ofEntity.set(fieldsKey(fields), probe);
  }

  /** Every insert and replace of the transaction, whoever makes it. */
  noteWrite(collection: string, record: StoredRecord): void {
    if (collection === matchKeysCollection.name) {
      this.keyProbes.get(`${String(record.data['entity'])}/${String(record.data['rule'])}`)?.written.add(String(record.data['key']));
      return;
    }
    const lookups = this.lookupProbes.get(collection);
    if (lookups) {
      for (const probe of lookups.values()) {
        const tuple = looseTuple(probeValues(record, [probe.by]), [probe.by]);
        if (tuple !== undefined) probe.written.add(tuple);
        probe.writtenIds.add(record.id);
      }
    }
    const ofEntity = this.probes.get(collection);
    if (!ofEntity) return;
    for (const probe of ofEntity.values()) {
      const tuple = looseTuple(probeValues(record, probe.fields), probe.fields);
      if (tuple !== undefined) probe.written.add(tuple);
      probe.writtenIds.add(record.id);
    }
  }

  /** Every delete of the transaction: a record the read-ahead found may be gone. */
  noteDelete(collection: string, id: string): void {
    const lookups = this.lookupProbes.get(collection);
    if (lookups) for (const probe of lookups.values()) probe.writtenIds.add(id);
    const ofEntity = this.probes.get(collection);
    if (ofEntity) for (const probe of ofEntity.values()) probe.writtenIds.add(id);
  }

  /**
   * The stored records holding exactly these values in `fields` (an upsert key), as the batch's
   * read-ahead found them — what a query of the key would read — or undefined when it cannot say:
   * not asked, a tuple or one of the records written since, or records whose values differ from the
   * key's only in letter case (the store's comparison may or may not call them equal). Without it a
   * re-run asked the store for every row, reading the whole entity when the key has no index.
   */
  knownRecords(entity: CompiledEntity, fields: readonly string[], values: RecordValues): readonly StoredRecord[] | undefined {
    const probe = this.probes.get(entity.name)?.get(fieldsKey(fields));
    const tuple = looseTuple(values, fields);
    if (!probe || tuple === undefined || !probe.asked.has(tuple) || probe.written.has(tuple)) return undefined;
    const found = probe.records.get(tuple) ?? [];
    if (found.some((record) => probe.writtenIds.has(record.id))) return undefined;
    const same = (record: StoredRecord) => fields.every((field) => (field === 'id' ? record.id === values['id'] : record.data[field] === values[field]));
    return found.every(same) ? found : undefined;
  }

  /** True when no record of `entity` holds these values in `fields` (prefetched and not written since); false when unsure. */
  knownAbsent(entity: CompiledEntity, fields: readonly string[], values: RecordValues): boolean {
    const probe = this.probes.get(entity.name)?.get(fieldsKey(fields));
    const tuple = looseTuple(values, fields);
    if (!probe || tuple === undefined || probe.written.has(tuple) || !probe.asked.has(tuple)) return false;
    return !probe.found.has(tuple);
  }

  noneStored(entity: CompiledEntity, rule: DuplicateRule, values: RecordValues): boolean {
    if (rule.method !== 'normalized') return this.knownAbsent(entity, rule.match, values);
    const probe = this.keyProbes.get(`${entity.name}/${rule.name}`);
    const key = probe ? matchKey(entity, rule, values) : undefined;
    if (!probe || key === undefined || !probe.asked.has(key) || probe.written.has(key)) return false;
    return !probe.found.has(key);
  }
}
