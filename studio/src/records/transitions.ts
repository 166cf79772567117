// Workflow transitions of one record as the API lists them (allowed or not, with reasons), and
// taking one: asks for the comment when the transition wants one.

import type { TFunction } from 'i18next';
import { getJson } from '../api/client.ts';
import type { EntityDef } from '../api/meta.ts';
import { localize, type Language } from '../i18n/i18n.ts';
import { takeTransition, type RecordValues } from '../api/records.ts';

export interface TransitionChoice {
  name: string;
  workflow: string;
  label: string;
  to: string;
  allowed: boolean;
  reasons: { code: string; message: string; fields?: string[] }[];
  needsApproval: boolean;
  confirm?: string;
  comment: 'none' | 'optional' | 'required';
}

export interface TransitionList {
  states: Record<string, string | undefined>;
  pendingApproval?: { id: string; [k: string]: unknown };
  transitions: TransitionChoice[];
}

/** A refusal's text: missing fields named by their labels (the API names them by field name). */
export function reasonText(reason: TransitionChoice['reasons'][number], entity: EntityDef, language: Language, t: TFunction): string {
  if (reason.code !== 'WF_MISSING_FIELDS' || !reason.fields?.length) return reason.message;
  const labels = reason.fields.map((f) => localize(entity.fields[f]?.label, language, f));
  return t('record.fillFirst', { fields: labels.join(language === 'zh' ? '、' : ', ') });
}

export function fetchTransitions(entity: string, id: string): Promise<TransitionList> {
  return getJson<TransitionList>(`/api/data/${encodeURIComponent(entity)}/${encodeURIComponent(id)}/transitions`);
}

export async function runTransition(args: { entity: string; record: RecordValues; transition: TransitionChoice; comment?: string }) {
  return takeTransition(args.entity, args.record.id, args.transition.name, { version: args.record.version, ...(args.comment ? { comment: args.comment } : {}) });
}
