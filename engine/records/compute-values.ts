// The values the engine fills in on a write: defaults, autonumbers, formulas and rollups — and the
// checks that need the complete record: rules, lookups and duplicates.

import type { CompiledEntity, CompiledField } from '../compile/compiled-model.ts';
import { evaluateExpression } from '../expressions/evaluate-expression.ts';
import { formatAutonumber } from '../fields/types/reference-types.ts';
import { formulaCoercions, type FormulaReturns } from '../fields/expression-result-types.ts';
import { andFilters, internalField, type FilterNode } from '../filter/filter-tree.ts';
import { type IssueDetail, pointer, localizedDetail } from '../kernel/errors.ts';
import { isDeepStrictEqual } from 'node:util';
import { localize, type LocalizedText } from '../kernel/i18n.ts';
import type { StoredRecord, StoreReader, StoreTransaction } from '../store/store-port.ts';
import { findKeyedMatches } from './match-keys.ts';
import type { RequestContext } from './request-context.ts';
import type { RecordValues } from './record-shape.ts';
import { applyCurrentUserDefaults } from './check-user-fields.ts';
import { recordFieldsRead } from '../filter/record-references.ts';
import { lookupFilterMessage, lookupFilterNode, lookupFilterOf } from './lookup-filter.ts';
import type { MaybePromise } from '../kernel/maybe-promise.ts';

/**
 * Fills absent fields from their defaults: all of them on create, required ones on update. A promise
 * only when a default expression is to be evaluated (bulk writers call this per record).
 */
export function applyDefaults(entity: CompiledEntity, values: RecordValues, ctx: RequestContext, mode: 'create' | 'update'): MaybePromise<RecordValues> {
  const out = { ...values };
  // New records start in their workflow's initial state (the driven field is never client input).
  if (mode === 'create') for (const [name, initial] of entity.drivenInitialValues) out[name] = initial;
  if (mode === 'create') applyCurrentUserDefaults(entity, out, ctx);
  const expressions = applyPlainDefaults(entity, out, mode);
  return expressions ? applyExpressionDefaults(expressions, values, out, ctx) : out;
}

/** Fills `out`'s absent fields from their plain defaults; gives the fields whose default is an expression. */
function applyPlainDefaults(entity: CompiledEntity, out: RecordValues, mode: 'create' | 'update'): CompiledField[] | undefined {
  let expressions: CompiledField[] | undefined;
  for (const field of entity.fields.values()) {
    if (out[field.name] !== undefined || field.type.compute !== 'none') continue;
    const def = field.definition as { default?: unknown; required?: boolean };
    if (mode === 'update' && !def.required) continue;
    if (def.default !== undefined) out[field.name] = typeof def.default === 'object' && def.default !== null ? structuredClone(def.default) : def.default;
    else if (field.defaultExpression) (expressions ??= []).push(field);
  }
  return expressions;
}

const callerFree = new WeakMap<CompiledEntity, boolean>();

/**
 * A create's defaults (what applyDefaults gives) for an entity whose defaults need neither the
 * caller nor the clock — no default expression, no user field defaulting to the current user — so
 * that they are the same for every caller and may be applied ahead of the write (an import's map
 * worker validates its rows with them). Undefined for other entities.
 */
export function callerFreeCreateDefaults(entity: CompiledEntity, values: RecordValues): RecordValues | undefined {
  let free = callerFree.get(entity);
  if (free === undefined) {
    free = [...entity.fields.values()].every((field) => !field.defaultExpression && !(field.definition.type === 'user' && (field.definition as { defaultToCurrentUser?: boolean }).defaultToCurrentUser === true));
    callerFree.set(entity, free);
  }
  if (!free) return undefined;
  const out = { ...values };
  for (const [name, initial] of entity.drivenInitialValues) out[name] = initial;
  applyPlainDefaults(entity, out, 'create');
  return out;
}

/** Default expressions read the values given (not each other's results), so they may run after the plain defaults. */
async function applyExpressionDefaults(fields: CompiledField[], values: RecordValues, out: RecordValues, ctx: RequestContext): Promise<RecordValues> {
  for (const field of fields) {
    const value = await evaluateExpression(field.defaultExpression!, values, { clock: ctx.clock, origin: `/fields/${field.name}/defaultExpression` });
    if (value !== undefined && value !== null) out[field.name] = value;
  }
  return out;
}

export async function assignAutonumbers(entity: CompiledEntity, values: RecordValues, tx: StoreTransaction): Promise<void> {
  for (const field of entity.fields.values()) {
    if (field.definition.type !== 'autonumber') continue;
    const start = field.definition.start ?? 1;
    const sequence = await tx.nextSequence(`autonumber.${entity.name}.${field.name}`);
    values[field.name] = formatAutonumber(field.definition, sequence + start - 1);
  }
}

/**
 * Recomputes every formula in dependency order; a formula with no value leaves its field absent.
 * `through` replaces, for evaluation only, the lookups formulas read through by their targets.
 */
export async function computeFormulas(entity: CompiledEntity, values: RecordValues, ctx: Pick<RequestContext, 'clock'>, through?: RecordValues): Promise<void> {
  for (const field of entity.formulas) {
    const raw = await evaluateExpression(field.formula!, through ? { ...values, ...through } : values, { clock: ctx.clock, origin: `/fields/${field.name}/expression` });
    const returns = (field.definition as { returns: FormulaReturns }).returns;
    const value = formulaCoercions[returns](raw);
    if (value === undefined) delete values[field.name];
    else values[field.name] = value;
  }
}

function lookupEquals(child: CompiledEntity, via: string, id: string): FilterNode {
  return { kind: 'compare', field: child.filterables.get(via) ?? internalField(via), op: '$eq', value: id };
}

/** Recomputes the rollup fields of one record from its children. */
export async function computeRollups(entity: CompiledEntity, id: string, values: RecordValues, reader: StoreReader, ctx: RequestContext): Promise<void> {
  for (const field of entity.fields.values()) {
    const def = field.definition;
    if (def.type !== 'rollup') continue;
    const child = ctx.model.entities.get(def.from);
    if (!child) continue;
    const result = await reader.aggregate(def.from, { filter: lookupEquals(child, def.via, id), op: def.op, ...(def.field ? { path: [def.field] } : {}) });
    if (result === null || result === undefined) delete values[field.name];
    else values[field.name] = typeof result === 'number' && def.op === 'avg' ? Math.round(result * 1e6) / 1e6 : result;
  }
}

/** Entity rules: each condition that holds is a violation, reported on its field. */
export async function checkRules(entity: CompiledEntity, values: RecordValues, ctx: RequestContext, through?: RecordValues): Promise<IssueDetail[]> {
  const issues: IssueDetail[] = [];
  const input = through ? { ...values, ...through } : values;
  for (const rule of entity.rules) {
    const broken = await evaluateExpression(rule.when, input, { clock: ctx.clock, origin: `/rules/${rule.name}/when` });
    if (broken === true) issues.push(localizedDetail({ path: rule.field ? pointer(rule.field) : '', code: `RULE:${rule.name}`, text: rule.message }, ctx.locale));
  }
  return issues;
}

/**
 * Every lookup that was set or changed must point at an existing record the caller may read — and,
 * when the field has a filter, at one the filter (bound to this record) matches; a change to a field
 * the filter reads checks the lookup again (a new account for a contact of the old one).
 */
export async function checkLookups(args: { entity: CompiledEntity; values: RecordValues; previous?: RecordValues; tx: StoreTransaction; ctx: RequestContext }): Promise<IssueDetail[]> {
  const { entity, values, previous, ctx } = args;
  const issues: IssueDetail[] = [];
  for (const field of entity.lookups) {
    const id = values[field.name];
    if (typeof id !== 'string') continue;
    const filter = lookupFilterOf(field);
    const readChanged = previous !== undefined && filter !== undefined && recordFieldsRead(filter).some((name) => JSON.stringify(values[name] ?? null) !== JSON.stringify(previous[name] ?? null));
    if (id === previous?.[field.name] && !readChanged) continue;
    const target = (field.definition as { to: string }).to;
    const targetEntity = ctx.model.entities.get(target);
    const scope = targetEntity ? ctx.policy.scopeFilter(ctx.principal, targetEntity, 'read') : undefined;
    const exists = andFilters({ kind: 'compare', field: internalField('id'), op: '$eq', value: id }, scope);
    const narrowed = targetEntity && lookupFilterNode({ ctx, source: entity, field, target: targetEntity, values });
    if ((await args.tx.count(target, andFilters(exists, narrowed))) > 0) continue;
    if (narrowed && (await args.tx.count(target, exists)) > 0) {
      issues.push(localizedDetail({ path: pointer(field.name), code: 'LOOKUP_FILTER', text: lookupFilterMessage(field, target) }, ctx.locale));
    } else {
      issues.push(localizedDetail({ path: pointer(field.name), code: 'LOOKUP_MISSING', text: { en: `refers to a ${target} record that does not exist`, zh: `引用的 ${target} 记录不存在` } }, ctx.locale));
    }
  }
  return issues;
}

export interface DuplicateFinding {
  rule: string;
  /** The pointer a refusal names: the rule's first field. */
  path: string;
  /** The rule's label in the caller's language, when it has one. */
  ruleLabel?: string;
  action: 'warn' | 'block';
  ids: string[];
  message: string;
  /** `message` in every language. */
  text: LocalizedText;
}

/** Records with the same values in every field of a duplicate rule (only when all are present). */
/**
 * What a bulk writer (an import batch) already knows about duplicates: true when no stored record
 * can match `values` under `rule` — found by one query for the whole batch — so the per-record
 * query is skipped. Anything it is unsure of it answers false.
 */
export interface DuplicateHints {
  noneStored(entity: CompiledEntity, rule: CompiledEntity['duplicateRules'][number], values: RecordValues): boolean;
  /** The bulk writer's memo of fuzzy keys found common (match-keys.ts candidateIds). */
  readonly commonKeys?: Set<string>;
  /**
   * The writer keeps no warnings (a cleansing job): only the rules that could refuse the write are
   * checked — a blocking rule whose fields the write changes.
   */
  readonly blockingOnly?: boolean;
}

/** `found` in the order of `matches` (the most alike first), as the store lists them in none. */
function inOrderOf(matches: readonly StoredRecord[], found: StoredRecord[]): StoredRecord[] {
  const rank = new Map(matches.map((match, i) => [match.id, i]));
  return found.sort((a, b) => (rank.get(a.id) ?? matches.length) - (rank.get(b.id) ?? matches.length));
}

/**
 * The duplicates `values` would make, per rule. `previous` (an update): a blocking rule whose fields
 * the write leaves as they were only warns — the record was a duplicate before (a rule added over
 * existing duplicates), and refusing would leave it uneditable until merged.
 */
export async function findDuplicates(entity: CompiledEntity, values: RecordValues, selfId: string, reader: StoreReader, ctx: RequestContext, hints?: DuplicateHints, previous?: RecordValues): Promise<DuplicateFinding[]> {
  const findings: DuplicateFinding[] = [];
  for (const rule of entity.duplicateRules) {
    const unchanged = previous !== undefined && rule.match.every((f) => isDeepStrictEqual(values[f], previous[f]));
    if (hints?.blockingOnly && (rule.action !== 'block' || unchanged)) continue;
    let filter: FilterNode;
    let matches: StoredRecord[];
    if (rule.method !== 'exact') {
      if (rule.method === 'normalized' && hints?.noneStored(entity, rule, values)) continue;
      // Folded values, or names alike, found through the keys kept beside the records (match-keys.ts).
      matches = await findKeyedMatches(reader, entity, rule, values, selfId, 5, hints?.commonKeys);
      filter = { kind: 'in', field: internalField('id'), values: matches.map((m) => m.id), negate: false };
    } else {
      if (rule.match.some((f) => values[f] === undefined || typeof values[f] === 'object')) continue;
      if (hints?.noneStored(entity, rule, values)) continue;
      filter = andFilters(
        ...rule.match.map((f): FilterNode => ({ kind: 'compare', field: entity.filterables.get(f) ?? internalField(f), op: '$eq', value: values[f] as string })),
        { kind: 'compare', field: internalField('id'), op: '$ne', value: selfId },
      );
      matches = await reader.find(entity.name, { filter, sort: [], limit: 5 });
    }
    if (matches.length === 0) continue;
    // Only records the caller may read are named; a warning about records they cannot see would
    // tell them those exist. (A blocking rule still blocks: integrity first, like a unique field.)
    const scope = ctx.policy.scopeFilter(ctx.principal, entity, 'read');
    const visible = scope.kind === 'true' ? matches : inOrderOf(matches, await reader.find(entity.name, { filter: andFilters(filter, scope), sort: [], limit: 5 }));
    if (rule.action === 'warn' && visible.length === 0) continue;
    // The fields by their labels, as the form shows them (the name when a field has none).
    const en = rule.match.map((f) => localize(entity.fields.get(f)?.definition.label, 'en') || f).join(', ');
    const zh = rule.match.map((f) => localize(entity.fields.get(f)?.definition.label, 'zh') || f).join('、');
    const text = rule.message ?? (rule.method === 'fuzzy'
      ? { en: `looks like a duplicate (${en} alike)`, zh: `疑似重复（${zh} 相似）` }
      : rule.method === 'normalized'
      ? { en: `looks like a duplicate (same ${en}, written alike: case, spaces, full-width characters, traditional or simplified Chinese and phone formats set aside)`, zh: `疑似重复（${zh} 相同：忽略大小写、空格、全角字符、繁简体和电话格式）` }
      : { en: `looks like a duplicate (same ${en})`, zh: `疑似重复（${zh} 相同）` });
    findings.push({ rule: rule.name, path: pointer(rule.match[0]!), ...(rule.label ? { ruleLabel: localize(rule.label, ctx.locale) } : {}), action: unchanged ? 'warn' : rule.action, ids: visible.map((m) => m.id), message: localize(text, ctx.locale), text });
  }
  return findings;
}
