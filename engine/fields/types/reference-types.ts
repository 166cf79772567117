// Field types that refer to other records or that the engine fills in: lookup, autonumber,
// formula, rollup.

import { localizedDetail, type IssueDetail } from '../../kernel/errors.ts';
import { compileExpression } from '../../expressions/compile-expression.ts';
import { systemFieldNames } from '../system-fields.ts';
import { checkLookupReads } from '../lookup-reads.ts';
import { checkExpressionResultType } from '../expression-result-types.ts';
import { type FieldType, type JsonSchema, checkRange, scalarFilterable, scalarOperators } from '../field-type.ts';
import { typeWidgets } from '../form-widgets.ts';

/** Record ids are ULIDs; lookups accept exactly that shape. */
export const recordIdSchema: JsonSchema = { type: 'string', pattern: '^[0-9A-HJKMNP-TV-Z]{26}$' };

export const lookupType: FieldType<'lookup'> = {
  type: 'lookup',
  widgets: typeWidgets.lookup,
  compute: 'none',
  valueSchema: () => ({ ...recordIdSchema }),
  valueMessages: { pattern: { en: 'must be the id of a record (26 characters)', zh: '必须是记录 ID（26 个字符）' } },
  referenceTarget: (field) => field.to,
  filterables: (_field, name) => [{ path: [name], valueType: 'string', array: false, operators: scalarOperators, sortable: true }],
  checkDefinition(field, { path, findEntity }) {
    const issues = findEntity(field.to) ? [] : [{ path: `${path}/to`, message: `refers to entity "${field.to}", which does not exist` }];
    // Clearing a required lookup would leave the referencing record invalid.
    if (field.required && field.onDelete === 'setNull') issues.push({ path: `${path}/onDelete`, message: 'setNull cannot clear a required lookup: use restrict or cascade' });
    return issues;
  },
};

export const autonumberType: FieldType<'autonumber'> = {
  type: 'autonumber',
  widgets: typeWidgets.autonumber,
  compute: 'assigned',
  valueSchema: () => ({ type: 'string', maxLength: 40 }),
  filterables: (_field, name) => scalarFilterable(name, 'string', true),
};

/** Formats a sequence number the way an autonumber field shows it. */
export function formatAutonumber(field: { prefix?: string; digits?: number }, sequence: number): string {
  return `${field.prefix ?? ''}${String(sequence).padStart(field.digits ?? 6, '0')}`;
}

const formulaValueSchemas: Record<string, JsonSchema> = {
  text: { type: 'string' },
  number: { type: 'number' },
  integer: { type: 'integer' },
  currency: { type: 'number' },
  percent: { type: 'number' },
  boolean: { type: 'boolean' },
  date: { type: 'string', format: 'date' },
  datetime: { type: 'string', format: 'date-time' },
};

const formulaValueTypes = { text: 'string', number: 'number', integer: 'number', currency: 'number', percent: 'number', boolean: 'boolean', date: 'date', datetime: 'datetime' } as const;

export const formulaType: FieldType<'formula'> = {
  type: 'formula',
  widgets: typeWidgets.formula,
  compute: 'formula',
  valueSchema: (field) => ({ ...formulaValueSchemas[field.returns] }),
  filterables: (field, name) => scalarFilterable(name, formulaValueTypes[field.returns], field.returns === 'text'),
  checkDefinition(field, { entity, fieldName, path, findEntity }) {
    // A currency on a text or date result would be read as money by lists and dashboards.
    if (field.currency !== undefined && field.returns !== 'currency') {
      return [localizedDetail({ path: `${path}/currency`, text: { en: `names the money of a formula returning currency; this one returns ${field.returns}`, zh: `仅用于返回金额的公式；此公式返回 ${field.returns}` } }, 'en')];
    }
    const { expression, issues } = compileExpression(field.expression, `${path}/expression`);
    if (!expression) return issues;
    const unknown: IssueDetail[] = [];
    for (const name of expression.rootReferences) {
      if (name === fieldName) unknown.push({ path: `${path}/expression`, message: `refers to itself ("${name}")` });
      else if (!Object.hasOwn(entity.fields, name) && !systemFieldNames.has(name)) {
        unknown.push({ path: `${path}/expression`, message: `refers to "${name}", which is not a field of ${entity.name}` });
      }
    }
    // Reading through a lookup (`account.industry`) works; a step that names nothing is refused.
    const reads = checkLookupReads({ source: field.expression, entity, path: `${path}/expression`, findEntity });
    if (unknown.length > 0 || reads.length > 0) return [...unknown, ...reads];
    // A result `returns` cannot hold would leave the field empty on every record.
    return checkExpressionResultType({ source: field.expression, field, target: 'formula', entity, findEntity, path: `${path}/expression` });
  },
};

export const rollupType: FieldType<'rollup'> = {
  type: 'rollup',
  widgets: typeWidgets.rollup,
  compute: 'rollup',
  valueSchema: (field) => (field.op === 'count' ? { type: 'integer' } : { type: ['number', 'string'] }),
  filterables: (field, name) => (field.op === 'min' || field.op === 'max' ? [] : scalarFilterable(name, 'number')),
  checkDefinition(field, { entity, path, findEntity }) {
    const child = findEntity(field.from);
    if (!child) return [{ path: `${path}/from`, message: `refers to entity "${field.from}", which does not exist` }];
    const via = child.fields[field.via];
    if (!via || via.type !== 'lookup' || via.to !== entity.name) {
      return [{ path: `${path}/via`, message: `must be a lookup field of ${field.from} that points to ${entity.name}` }];
    }
    if (field.op === 'count') return field.field ? [{ path: `${path}/field`, message: 'is not used by count' }] : [];
    if (!field.field) return [{ path: `${path}/field`, message: `is required for ${field.op}` }];
    const aggregated = child.fields[field.field];
    if (!aggregated) return [{ path: `${path}/field`, message: `refers to "${field.field}", which is not a field of ${field.from}` }];
    // A formula counts by what it returns: one returning a date or datetime sums to nothing (a date field neither).
    const kind = aggregated.type === 'formula' ? aggregated.returns : aggregated.type;
    const numeric = ['integer', 'number', 'currency', 'percent'].includes(kind);
    const orderable = numeric || ['date', 'datetime'].includes(kind);
    if ((field.op === 'sum' || field.op === 'avg') && !numeric) return [{ path: `${path}/field`, message: `${field.op} needs a numeric field` }];
    if (!orderable) return [{ path: `${path}/field`, message: `${field.op} needs a numeric or date field` }];
    return [];
  },
};

export { checkRange };
