// Cleansing rules and phone regions checked on save. A synonym whose value is no option of its
// picklist would turn every write of the source value into a refusal that names the field's options
// and not the rule; a rule for a field the entity lacks does nothing; a region libphonenumber does
// not know reads no number, so phones stay as typed and never match. Each is refused at its pointer.

import { isSupportedCountry } from 'libphonenumber-js';
import type { IssueDetail } from '../kernel/errors.ts';
import type { EntityDefinition } from '../metadata/generated/metadata.ts';
import { caseOf } from '../fields/letter-case.ts';

const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

function regionIssue(path: string, region: string): IssueDetail {
  const en = `"${region}" is no region phone numbers are read in (an ISO 3166 code such as GB or CN)`;
  return { path, message: en, code: 'META_PHONE_REGION', text: { en, zh: `"${region}" 不是可用于读取电话号码的地区（应为 ISO 3166 代码，如 GB 或 CN）` } };
}

export function checkCleansing(entity: EntityDefinition): IssueDetail[] {
  const issues: IssueDetail[] = [];
  for (const [name, rule] of Object.entries(entity.cleansing ?? {})) {
    const field = entity.fields[name];
    const at = `/cleansing/${escape(name)}`;
    if (!field) {
      const en = `refers to "${name}", which is not a field of ${entity.name}`;
      issues.push({ path: at, code: 'META_UNKNOWN_FIELD', message: en, text: { en, zh: `引用的 "${name}" 不是 ${entity.name} 的字段` } });
      continue;
    }
    if (rule.phone !== undefined && !isSupportedCountry(rule.phone)) issues.push(regionIssue(`${at}/phone`, rule.phone));
    if (field.type !== 'picklist' && field.type !== 'multipicklist') continue;
    const options = Object.keys(field.options);
    for (const [from, to] of Object.entries(rule.synonyms ?? {})) {
      // The case step runs after the synonym: "Technology" with case lower keeps "technology".
      if (options.includes(caseOf(rule, to))) continue;
      const en = `maps to "${to}", which is no option of ${name} (${options.join(', ')})`;
      issues.push({ path: `${at}/synonyms/${escape(from)}`, code: 'META_UNKNOWN_OPTION', message: en, text: { en, zh: `映射到的 "${to}" 不是 ${name} 的选项（${options.join('、')}）` } });
    }
  }
  for (const [name, rule] of Object.entries(entity.duplicateRules ?? {})) {
    if (rule.region !== undefined && !isSupportedCountry(rule.region)) issues.push(regionIssue(`/duplicateRules/${name}/region`, rule.region));
  }
  return issues;
}
