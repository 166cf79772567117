// fields/letter-case: a text in a cleansing rule's letter case — what writes apply (records/) and
// what a rule's synonyms are checked against on save (kinds/), so both agree.

import type { CleansingRule } from '../metadata/generated/metadata.ts';

function titleCase(text: string): string {
  return text.toLowerCase().replace(/(^|[\s\-'])(\p{L})/gu, (_m, sep: string, letter: string) => sep + letter.toUpperCase());
}

/** A text in the rule's letter case (its last step). */
export function caseOf(rule: Pick<CleansingRule, 'case'>, text: string): string {
  if (rule.case === 'lower') return text.toLowerCase();
  if (rule.case === 'upper') return text.toUpperCase();
  if (rule.case === 'title') return titleCase(text);
  return text;
}
