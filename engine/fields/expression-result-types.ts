// fields/expression-result-types: whether what an expression gives fits the field it fills — a
// formula's declared `returns`, or a typed field's default expression. The values a formula
// keeps are decided by the coercions below (the record service uses them on every write), so a
// result they would always turn into nothing is refused on save, with what the expression gives.

import { compileExpression } from '../expressions/compile-expression.ts';
import { inferResultType, type InferredType, type Outcome, type ValueKind } from '../expressions/infer-result-type.ts';
import { localizedDetail, type IssueDetail } from '../kernel/errors.ts';
import type { LocalizedText } from '../kernel/i18n.ts';
import type { EntityDefinition, FieldDefinition } from '../metadata/generated/metadata.ts';
import { maxLookupReadHops } from './lookup-reads.ts';

export type FormulaReturns = Extract<FieldDefinition, { type: 'formula' }>['returns'];

/** How a formula's raw result becomes the stored value; undefined leaves the field empty. */
export const formulaCoercions: Readonly<Record<FormulaReturns, (value: unknown) => unknown>> = {
  text: (v) => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined),
  number: (v) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined),
  integer: (v) => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v) : undefined),
  currency: (v) => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v * 100) / 100 : undefined),
  percent: (v) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined),
  boolean: (v) => (typeof v === 'boolean' ? v : undefined),
  date: (v) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : undefined),
  datetime: (v) => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? new Date(v).toISOString() : undefined),
};

/** Where a result goes: a formula's `returns`, or `string` for a text-like field's default (no coercion there). */
type Slot = FormulaReturns | 'string';

const kindsFitting: Record<Slot, readonly ValueKind[]> = {
  text: ['string', 'number', 'boolean', 'date', 'datetime'],
  string: ['string', 'date', 'datetime'],
  number: ['number'],
  integer: ['number'],
  currency: ['number'],
  percent: ['number'],
  boolean: ['boolean'],
  // A string may hold a date (`$substring(createdAt, 0, 10)`): only a constant is judged by its text.
  date: ['string', 'date', 'datetime'],
  datetime: ['string', 'date', 'datetime'],
};

function fits(outcome: Outcome, slot: Slot): boolean {
  if (!kindsFitting[slot].includes(outcome.kind)) return false;
  if (outcome.literal === undefined) return true;
  return formulaCoercions[slot === 'string' ? 'text' : slot](outcome.literal) !== undefined;
}

const textFieldTypes = new Set(['text', 'textarea', 'email', 'phone', 'url', 'picklist', 'autonumber', 'user']);
const numberFieldTypes = new Set(['integer', 'number', 'currency', 'percent']);

const formulaKinds: Record<FormulaReturns, ValueKind> = { text: 'string', number: 'number', integer: 'number', currency: 'number', percent: 'number', boolean: 'boolean', date: 'date', datetime: 'datetime' };

/** The kind of a field's stored value, when it has one simple kind. */
function fieldValueType(field: FieldDefinition): InferredType {
  if (textFieldTypes.has(field.type)) return [{ kind: 'string' }];
  if (numberFieldTypes.has(field.type)) return [{ kind: 'number' }];
  if (field.type === 'boolean' || field.type === 'date' || field.type === 'datetime') return [{ kind: field.type }];
  if (field.type === 'formula') return [{ kind: formulaKinds[field.returns] }];
  if (field.type === 'rollup') return field.op === 'min' || field.op === 'max' ? 'unknown' : [{ kind: 'number' }];
  return 'unknown';
}

const systemFieldKinds: Readonly<Record<string, ValueKind>> = {
  id: 'string', createdBy: 'string', updatedBy: 'string', owner: 'string', version: 'number', revision: 'number', createdAt: 'datetime', updatedAt: 'datetime',
};

type Find = (name: string) => EntityDefinition | undefined;

/** The type of a path of names from a record of `entity`, through lookups (as formulas read them). */
function pathType(entity: EntityDefinition, names: readonly string[], findEntity: Find, hops: number): InferredType {
  const [first, ...rest] = names;
  const field = Object.hasOwn(entity.fields, first!) ? entity.fields[first!] : undefined;
  if (!field) {
    const system = systemFieldKinds[first!];
    return system && rest.length === 0 ? [{ kind: system }] : 'unknown';
  }
  if (rest.length === 0) return fieldValueType(field);
  if (field.type === 'lookup' && hops > 0) {
    const target = findEntity(field.to);
    return target ? pathType(target, rest, findEntity, hops - 1) : 'unknown';
  }
  if (field.type === 'address' && rest.length === 1) return [{ kind: 'string' }];
  return 'unknown';
}

/** What an expression over a record of `entity` gives ('unknown' when it does not parse). */
export function inferRecordExpressionType(args: { source: string; entity: EntityDefinition; findEntity: Find }): InferredType {
  const { expression } = compileExpression(args.source, '');
  if (!expression) return 'unknown';
  return inferResultType(expression, (names) => pathType(args.entity, names, args.findEntity, maxLookupReadHops));
}

const kindNames: Record<ValueKind, { en: string; zh: string }> = {
  string: { en: 'text', zh: '文本' },
  number: { en: 'a number', zh: '数字' },
  boolean: { en: 'true or false', zh: '布尔值（true 或 false）' },
  date: { en: 'a date', zh: '日期' },
  datetime: { en: 'a date and time', zh: '日期时间' },
  object: { en: 'an object', zh: '对象' },
  array: { en: 'a list', zh: '列表' },
};

/** What an inferred result is, in words: `text "abc"`, `a number or a list`. */
export function describeInferred(outcomes: readonly Outcome[], locale: 'en' | 'zh'): string {
  const parts = new Set(outcomes.map((o) => kindNames[o.kind][locale] + (o.kind === 'string' && o.literal !== undefined ? ` ${JSON.stringify(o.literal)}` : '')));
  return [...parts].join(locale === 'en' ? ' or ' : '或');
}

const slotNames: Record<Slot, { en: string; zh: string }> = {
  text: { en: 'text', zh: '文本' },
  string: { en: 'text', zh: '文本' },
  number: { en: 'number', zh: '数字' },
  integer: { en: 'integer', zh: '整数' },
  currency: { en: 'currency', zh: '货币' },
  percent: { en: 'percent', zh: '百分比' },
  boolean: { en: 'boolean', zh: '布尔值' },
  date: { en: 'date', zh: '日期' },
  datetime: { en: 'datetime', zh: '日期时间' },
};

/** The slot a typed field's default fills, when its values have one simple kind. */
function defaultSlot(field: FieldDefinition): Slot | undefined {
  if (['text', 'textarea', 'email', 'phone', 'url', 'picklist'].includes(field.type)) return 'string';
  if (field.type === 'integer' || field.type === 'number' || field.type === 'currency' || field.type === 'percent' || field.type === 'boolean' || field.type === 'date' || field.type === 'datetime') return field.type;
  return undefined;
}

/**
 * A formula's expression (`target: 'formula'`) or a field's default expression (`'default'`) that
 * can only give values the field cannot hold: one issue at `path`, in en and zh. Unknown results pass.
 */
export function checkExpressionResultType(args: { source: string; field: FieldDefinition; target: 'formula' | 'default'; entity: EntityDefinition; findEntity: Find; path: string }): IssueDetail[] {
  const slot = args.target === 'formula' ? (args.field as { returns?: FormulaReturns }).returns : defaultSlot(args.field);
  if (slot === undefined) return [];
  const inferred = inferRecordExpressionType(args);
  if (inferred === 'unknown' || inferred.length === 0 || inferred.some((outcome) => fits(outcome, slot))) return [];
  const text: LocalizedText =
    args.target === 'formula'
      ? {
          en: `the expression gives ${describeInferred(inferred, 'en')}, which a formula returning ${slotNames[slot].en} cannot hold: the field would stay empty`,
          zh: `表达式的结果是${describeInferred(inferred, 'zh')}，不能作为返回${slotNames[slot].zh}的公式的值：该字段将始终为空`,
        }
      : {
          en: `the expression gives ${describeInferred(inferred, 'en')}, which a ${args.field.type} field cannot hold`,
          zh: `表达式的结果是${describeInferred(inferred, 'zh')}，不能作为 ${args.field.type} 类型字段的值`,
        };
  return [localizedDetail({ path: args.path, code: 'EXPR_RESULT_TYPE', text }, 'en')];
}

/**
 * A condition counts when it gives true — exactly true (a rule's `when`, a workflow guard): one that
 * can only give text, a number or a list (`amount`, `status`, `$count(tags)`) never does. `never`
 * says what that means where it sits. Whatever is not inferred passes.
 */
export function checkConditionType(args: { source: string; entity: EntityDefinition; findEntity: Find; path: string; never: { en: string; zh: string } }): IssueDetail[] {
  const inferred = inferRecordExpressionType(args);
  if (inferred === 'unknown' || inferred.length === 0 || inferred.some((outcome) => outcome.kind === 'boolean')) return [];
  const text = {
    en: `the condition gives ${describeInferred(inferred, 'en')}, never true: ${args.never.en} (compare it, e.g. amount > 0, or use $exists(field))`,
    zh: `条件的结果是${describeInferred(inferred, 'zh')}，永远不会为 true：${args.never.zh}（请写成比较，例如 amount > 0，或使用 $exists(field)）`,
  };
  return [localizedDetail({ path: args.path, code: 'EXPR_RESULT_TYPE', text }, 'en')];
}
