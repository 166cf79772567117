// Normalized and fuzzy duplicate rules checked on every write. A normalized rule compares folded
// values (case, spaces, full-width characters, phone formats: fold-values.ts), a fuzzy one names
// alike, which no query over the stored values can match; so each record's keys per rule (its folded
// key; its longest name words) are kept beside it, in `_matchKeys`, and a write looks its own keys up
// there. The keys are a lookup aid only: each record they point at is
// read and its key computed again from what it holds now, so a key left stale (a record deleted or
// restored by a path that does not keep keys) can make the check miss, never name a wrong record.
// The duplicate scan (engine/quality) still finds every duplicate; it needs no keys.

import type { CompiledDuplicateRule, CompiledEntity, CompiledModel } from '../compile/compiled-model.ts';
import { andFilters, internalField, where } from '../filter/filter-tree.ts';
import { pagesById } from '../store/read-pages.ts';
import type { CollectionSpec, Store, StoredRecord, StoreReader, StoreTransaction } from '../store/store-port.ts';
import { foldValue, foldVersion, isFuzzyText, nameKey, similarity } from './fold-values.ts';
import type { RecordValues } from './record-shape.ts';
import { writeTraits } from './write-traits.ts';

export const matchKeysCollection: CollectionSpec = {
  name: '_matchKeys',
  indexes: [{ name: 'key', keys: [{ path: ['entity'], direction: 1 }, { path: ['rule'], direction: 1 }, { path: ['key'], direction: 1 }], unique: false }],
};

interface MatchKeyEntry {
  entity: string;
  rule: string;
  recordId: string;
  key: string;
}

/** The phone region a rule reads numbers in: its own, else the field's cleansing rule's. */
export function ruleRegion(entity: CompiledEntity, rule: CompiledDuplicateRule, field: string): string | undefined {
  return rule.region ?? entity.definition.cleansing?.[field]?.phone;
}

/**
 * What an exact or normalized rule compares for one record: its fields' values (folded for a
 * normalized rule) joined; undefined when one of them is empty (such a record matches nothing).
 */
export function matchKey(entity: CompiledEntity, rule: CompiledDuplicateRule, data: Record<string, unknown>): string | undefined {
  const parts: string[] = [];
  for (const name of rule.match) {
    const value = data[name];
    if (value === undefined || value === null || value === '') return undefined;
    if (rule.method === 'exact') parts.push(typeof value === 'string' ? value : JSON.stringify(value));
    else parts.push(foldValue(entity.fields.get(name), value, ruleRegion(entity, rule, name))!);
  }
  return parts.join('\u0000');
}

/** The rules whose keys are kept: normalized and fuzzy ones (exact ones compare the stored values themselves). */
const keyedRules = (entity: CompiledEntity) => entity.duplicateRules.filter((rule) => rule.method !== 'exact');

/** A fuzzy rule's view of a record: its non-text fields folded (equal, or no match) and its text fields' name keys (compared by similarity). */
export function fuzzyRow(entity: CompiledEntity, rule: CompiledDuplicateRule, data: Record<string, unknown>): { block: string; names: string[] } | undefined {
  const block: string[] = [];
  const names: string[] = [];
  for (const name of rule.match) {
    const field = entity.fields.get(name);
    const value = data[name];
    if (value === undefined || value === null || value === '') return undefined;
    if (isFuzzyText(field) && typeof value === 'string') names.push(nameKey(value));
    else block.push(foldValue(field, value, ruleRegion(entity, rule, name))!);
  }
  return { block: block.join('\u0000'), names };
}

/** How alike two fuzzy rows' names are: the least similarity of their name keys, field by field. */
export function fuzzyScore(a: { names: readonly string[] }, b: { names: readonly string[] }): number {
  let least = 1;
  for (let i = 0; i < a.names.length; i++) least = Math.min(least, similarity(a.names[i]!, b.names[i]!));
  return least;
}

/** At most this many keys per record and fuzzy rule: its longest words. */
const maxTokens = 8;

/**
 * The keys a record is found by under a rule: a normalized rule's one key; a fuzzy rule's words of
 * its names — Chinese ones as pairs of characters, which "欧阳娜" and "欧阳娜娜" share — each after
 * the folded non-text fields. Two names alike share a word (or a pair) in all but rare cases (two
 * typos, one in each word): the check on a write then misses, and the scan still finds them.
 */
function keysOf(entity: CompiledEntity, rule: CompiledDuplicateRule, data: Record<string, unknown>): string[] {
  if (rule.method !== 'fuzzy') {
    const key = matchKey(entity, rule, data);
    return key === undefined ? [] : [key];
  }
  const row = fuzzyRow(entity, rule, data);
  if (!row) return [];
  const tokens = new Set<string>();
  for (const name of row.names) {
    for (const word of name.split(' ')) {
      if (/\p{Script=Han}/u.test(word) && word.length > 2) for (let i = 0; i + 2 <= word.length; i++) tokens.add(word.slice(i, i + 2));
      else if (word !== '') tokens.add(word);
    }
  }
  if (tokens.size === 0) return [];
  const words = [...tokens].sort((x, y) => y.length - x.length || (x < y ? -1 : 1)).slice(0, maxTokens).map((token) => `${row.block}\u0001${token}`);
  // Last, the whole of its names: a name made only of common words ("Northwind Trading", "上海贸易有限公司")
  // is left out of the lookup by each word, and must still find the same name written again.
  return [...words, wholeKey(row)];
}

/** A fuzzy rule's key of a record's names as a whole (the last of its keys). */
const wholeKey = (row: { block: string; names: readonly string[] }) => `${row.block}\u0002${row.names.join('\u0000')}`;

const slotsOf = (rule: CompiledDuplicateRule) => (rule.method === 'fuzzy' ? maxTokens + 1 : 1);
const entryId = (entity: string, rule: string, recordId: string, slot: number) => `${entity}/${rule}/${recordId}/${slot}`;
/** The entry saying for which definitions an entity's keys were built (no rule is named so: rule names are identifiers). */
const builtRule = '$built';
const builtId = (entity: string) => `${entity}/${builtRule}`;

const sameKeys = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((key, i) => key === b[i]);

async function insertKeys(tx: StoreTransaction, entity: CompiledEntity, rule: CompiledDuplicateRule, recordId: string, keys: readonly string[]): Promise<void> {
  for (let slot = 0; slot < keys.length; slot++) {
    await tx.insert(matchKeysCollection.name, { id: entryId(entity.name, rule.name, recordId, slot), version: 1, revision: 0, data: { entity: entity.name, rule: rule.name, recordId, key: keys[slot]! } satisfies MatchKeyEntry });
  }
}

/**
 * Keeps a record's keys for the entity's normalized and fuzzy rules as its values now are — every
 * write that changes a record's values calls it (a create, an update, a reassignment, a merge and its
 * undo). `previous`: the values its keys were kept for (keys that stayed the same are not written again),
 * or 'fresh id' for a create under an id this write made.
 */
export async function keepMatchKeys(tx: StoreTransaction, entity: CompiledEntity, recordId: string, values: RecordValues, previous?: RecordValues | 'fresh id'): Promise<void> {
  if (!writeTraits(entity).matchKeys) return;
  const before = previous === 'fresh id' ? undefined : previous;
  for (const rule of keyedRules(entity)) {
    const keys = keysOf(entity, rule, values);
    if (before && sameKeys(keys, keysOf(entity, rule, before))) continue;
    // Every slot an update may have filled; for a create the slots it fills (a record may come back
    // under its id: sample data, a merge undone) — none for an id just made, which no key can name
    // (and a bulk writer holding key inserts would otherwise write them at each delete).
    const slots = before ? slotsOf(rule) : previous === 'fresh id' ? 0 : keys.length;
    for (let slot = 0; slot < slots; slot++) await tx.delete(matchKeysCollection.name, entryId(entity.name, rule.name, recordId, slot));
    await insertKeys(tx, entity, rule, recordId, keys);
  }
}

/** Drops a deleted record's keys. */
export async function dropMatchKeys(tx: StoreTransaction, entity: CompiledEntity, recordId: string): Promise<void> {
  if (!writeTraits(entity).matchKeys) return;
  for (const rule of keyedRules(entity)) for (let slot = 0; slot < slotsOf(rule); slot++) await tx.delete(matchKeysCollection.name, entryId(entity.name, rule.name, recordId, slot));
}

/**
 * Records other than `selfId` whose values match `values` under a normalized rule, or are alike
 * under a fuzzy one (its threshold), as they are stored now (at most `limit`).
 */
export async function findKeyedMatches(reader: StoreReader, entity: CompiledEntity, rule: CompiledDuplicateRule, values: RecordValues, selfId: string, limit: number, commonKeys?: Set<string>): Promise<StoredRecord[]> {
  const keys = keysOf(entity, rule, values);
  if (keys.length === 0) return [];
  const whole = rule.method === 'fuzzy' ? keys[keys.length - 1] : undefined;
  const ids = await candidateIds({ reader, entity, rule, keys, whole, selfId, ...(commonKeys ? { commonKeys } : {}) });
  if (ids.length === 0) return [];
  const records = await reader.find(entity.name, { filter: { kind: 'in', field: internalField('id'), values: ids, negate: false }, sort: [], limit: ids.length });
  if (rule.method !== 'fuzzy') return records.filter((record) => matchKey(entity, rule, record.data) === keys[0]).slice(0, limit);
  const row = fuzzyRow(entity, rule, values)!;
  const alike: { record: StoredRecord; score: number }[] = [];
  for (const record of records) {
    const other = fuzzyRow(entity, rule, record.data);
    const score = other !== undefined && other.block === row.block ? fuzzyScore(row, other) : 0;
    if (score >= rule.threshold) alike.push({ record, score });
  }
  // The most alike first: more may pass than are named, and the store lists them in no such order.
  return alike.sort((a, b) => b.score - a.score).slice(0, limit).map(({ record }) => record);
}

/** Key entries read at once for one write's keys; more, and some key is a common word (see candidateIds). */
const entriesAtOnce = 200;
/** Records compared at most for one write (each is read and scored). */
const maxCandidates = 50;

/**
 * A bulk writer's memo (an import job's: DuplicateHints.commonKeys) of the keys found shared by more
 * than `maxCandidates` records (entity/rule/key), left out of its later lookups at once — its rows
 * would ask them again and again. Only a writer's own: what made a key common may be rolled back (a
 * dry run), or deleted (an import undone). Emptied when full.
 */
const commonKeysKept = 10_000;

/**
 * The records sharing a key with a write, those sharing the most keys first. A fuzzy rule's word
 * shared by many names ("Trading", a pair of "有限公司") says little about who is alike and would crowd
 * the rare words out of one lookup: when the keys together hit more entries than are read at once,
 * each key is asked alone, and the keys of more than `maxCandidates` records are left out — and, by a bulk writer,
 * remembered as common — unless all are (then the least common one is kept).
 */
async function candidateIds(args: { reader: StoreReader; entity: CompiledEntity; rule: CompiledDuplicateRule; keys: readonly string[]; whole: string | undefined; selfId: string; commonKeys?: Set<string> }): Promise<string[]> {
  const { reader, entity, rule, keys, whole, selfId, commonKeys } = args;
  const entriesOf = (of: readonly string[], limit: number) => reader.find(matchKeysCollection.name, { filter: andFilters(where({ entity: entity.name, rule: rule.name }), { kind: 'in', field: internalField('key'), values: [...of], negate: false }), sort: [], limit });
  const commonId = (key: string) => `${entity.name}/${rule.name}/${key}`;
  // The words (the whole name is always asked: every record it names is alike).
  const words = whole === undefined ? keys : keys.slice(0, -1);
  const askedWords = words.length > 1 && commonKeys ? words.filter((key) => !commonKeys.has(commonId(key))) : words;
  const asked = whole === undefined ? askedWords : [...askedWords, whole];
  let entries = askedWords.length > 0 ? await entriesOf(asked, entriesAtOnce) : [];
  if (askedWords.length === 0 || (entries.length >= entriesAtOnce && asked.length > 1)) {
    const perKey: StoredRecord[][] = [];
    for (const key of askedWords.length > 0 ? askedWords : words) {
      const list = await entriesOf([key], maxCandidates + 1);
      if (list.length > maxCandidates && commonKeys) {
        if (commonKeys.size >= commonKeysKept) commonKeys.clear();
        commonKeys.add(commonId(key));
      }
      perKey.push(list);
    }
    const rare = perKey.filter((list) => list.length <= maxCandidates);
    const byWords = rare.length > 0 ? rare.flat() : perKey.reduce((least, list) => (list.length < least.length ? list : least)).slice(0, maxCandidates);
    // The records of the same name first (the ranking below keeps their order among equals).
    entries = whole === undefined ? byWords : [...(await entriesOf([whole], maxCandidates)), ...byWords];
  }
  const shared = new Map<string, number>();
  for (const entry of entries) {
    const id = String(entry.data['recordId']);
    if (id !== selfId) shared.set(id, (shared.get(id) ?? 0) + 1);
  }
  return [...shared].sort((a, b) => b[1] - a[1]).slice(0, maxCandidates).map(([id]) => id);
}

/** Key entries and records read at a time when an entity's keys are dropped or built again. */
const keyPageSize = 2000;

/** Every key entry of an entity, its marker included. */
async function dropEntityKeys(tx: StoreTransaction, entity: string): Promise<void> {
  for await (const page of pagesById(tx, matchKeysCollection.name, where({ entity }), keyPageSize)) for (const entry of page) await tx.delete(matchKeysCollection.name, entry.id);
}

/** Builds the keys of every stored record for the entity's normalized and fuzzy rules anew (a rule added or changed). */
export async function rebuildMatchKeys(tx: StoreTransaction, entity: CompiledEntity): Promise<number> {
  await dropEntityKeys(tx, entity.name);
  const rules = keyedRules(entity);
  if (rules.length === 0) return 0;
  // Which definitions the keys were built for: a start builds them again only when that changed (or they were never built).
  await tx.insert(matchKeysCollection.name, { id: builtId(entity.name), version: 1, revision: 0, data: { entity: entity.name, rule: builtRule, recordId: '', key: keySignature(entity) } satisfies MatchKeyEntry });
  let written = 0;
  for await (const page of pagesById(tx, entity.name, { kind: 'true' }, keyPageSize)) {
    for (const record of page) {
      for (const rule of rules) {
        const keys = keysOf(entity, rule, record.data);
        await insertKeys(tx, entity, rule, record.id, keys);
        written += keys.length;
      }
    }
  }
  return written;
}

/** Changed whenever keysOf makes other keys (2: a fuzzy rule's whole-name key). */
const keysVersion = 2;

/** What a record's keys depend on: how values fold, what keys keysOf makes, the normalized and fuzzy rules, and the definitions and phone regions of their fields. */
function keySignature(entity: CompiledEntity | undefined): string {
  if (!entity) return '';
  // The whole definition of each field matched: a formula's expression, a lookup's target change what is stored.
  // Led by the versions of folding and of keysOf's output: keys built by earlier ones are built again at start.
  return JSON.stringify([foldVersion, keysVersion, ...keyedRules(entity).map((rule) => [rule.name, rule.method, rule.threshold, rule.match.map((field) => [field, entity.fields.get(field)?.definition ?? null, ruleRegion(entity, rule, field)])])]);
}

/** A metadata change (apply hook): the keys of each entity whose keyed rules or their fields changed, built anew. */
export async function refreshMatchKeys(args: { tx: StoreTransaction; previous: CompiledModel; next: CompiledModel }): Promise<void> {
  for (const name of new Set([...args.previous.entities.keys(), ...args.next.entities.keys()])) {
    const before = args.previous.entities.get(name);
    const after = args.next.entities.get(name);
    if (keySignature(before) === keySignature(after)) continue;
    if (after) await rebuildMatchKeys(args.tx, after);
    else await dropEntityKeys(args.tx, name);
  }
}

/** At start: the keys built for each entity with keyed rules whose keys were never built, or built for other definitions. */
export async function buildMissingMatchKeys(store: Store, model: CompiledModel): Promise<void> {
  for (const entity of model.entities.values()) {
    if (keyedRules(entity).length === 0) continue;
    const built = await store.get(matchKeysCollection.name, builtId(entity.name));
    if (built?.data['key'] === keySignature(entity)) continue;
    await store.transaction((tx) => rebuildMatchKeys(tx, entity));
  }
}
