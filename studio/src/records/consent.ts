// A consent value ({ givenAt, source?, withdrawnAt? }) as people read it: "Given 1 Mar 2026, 10:00
// (tablet)" or "Withdrawn 2 Mar 2026, 11:00" — in forms, lists, the timeline and cards alike.

import i18next from 'i18next';
import { formatDateTime } from '../i18n/format.ts';
import type { Language } from '../i18n/i18n.ts';

export interface Consent {
  givenAt: string;
  source?: string;
  withdrawnAt?: string;
}

export const asConsent = (value: unknown): Consent | undefined =>
  typeof value === 'object' && value !== null && typeof (value as Consent).givenAt === 'string' ? (value as Consent) : undefined;

/** The consent's state in words; '' when there is none. */
export function consentText(value: unknown, language: Language): string {
  const consent = asConsent(value);
  if (!consent) return '';
  if (consent.withdrawnAt) return i18next.t('consent.withdrawn', { lng: language, at: formatDateTime(consent.withdrawnAt, language) });
  const given = i18next.t('consent.given', { lng: language, at: formatDateTime(consent.givenAt, language) });
  return consent.source ? i18next.t('consent.givenVia', { lng: language, given, source: consent.source }) : given;
}
