// A consent in a record form (an rjsf custom field): a checkbox that gives or withdraws it, and when
// it was given or withdrawn. The value is `{ givenAt, source?, withdrawnAt? }` as the server stores
// it: ticking stamps `givenAt`, unticking a given consent stamps `withdrawnAt` (the record of it is
// kept), ticking a withdrawn one gives it anew. The times are the server's (it stamps a consent
// changed through a form with its clock); the form shows them once saved. Without this field a consent was a text input showing
// "[object Object]", and typing into it sent a string the server refused.

import type { FieldProps } from '@rjsf/utils';
import { Checkbox, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../app/use-language.ts';
import '../i18n/features.ts';
import { consentText, asConsent, type Consent } from './consent.ts';

export function ConsentField(props: FieldProps) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const consent = asConsent(props.formData);
  const given = consent !== undefined && !consent.withdrawnAt;
  const label = String(props.schema.title ?? props.name);
  const readOnly = Boolean(props.readonly || props.disabled || props.uiSchema?.['ui:readonly']);
  const id = props.fieldPathId.$id;
  const set = (next: Consent | undefined) => props.onChange(next as never, props.fieldPathId.path);
  // The consent as the record holds it (the form is drawn anew after each save): unticking a consent
  // ticked in this edit takes the tick back rather than recording a withdrawal.
  const [stored] = useState(() => asConsent(props.formData));
  const storedGiven = stored !== undefined && !stored.withdrawnAt;
  const toggle = (checked: boolean) => {
    const now = new Date().toISOString();
    // A save is a merge patch: a new consent over a withdrawn one drops its old parts with null.
    if (checked) set(storedGiven ? stored : ({ givenAt: now, ...(stored?.source !== undefined ? { source: null } : {}), ...(stored?.withdrawnAt ? { withdrawnAt: null } : {}) } as unknown as Consent));
    else set(storedGiven ? { ...stored, withdrawnAt: now } : stored);
  };
  // The server stamps a consent given or withdrawn through the form with its own clock (the browser's
  // time sent is a stand-in): until saved, the change is said as pending, not as a time.
  const pending = consent?.givenAt !== stored?.givenAt ? 'consent.givenOnSave' : consent?.withdrawnAt !== stored?.withdrawnAt && consent?.withdrawnAt ? 'consent.withdrawnOnSave' : undefined;
  const state = pending ? t(pending) : consentText(consent, language);

  return (
    <div style={{ marginBottom: 24 }}>
      <Checkbox id={id} checked={given} disabled={readOnly} onChange={(e) => toggle(e.target.checked)} aria-describedby={`${id}__state`}>
        {label}
        {props.required && <span aria-hidden> *</span>}
      </Checkbox>
      <Typography.Text id={`${id}__state`} type="secondary" style={{ display: 'block', paddingTop: 4 }}>
        {state || t('consent.none')}
      </Typography.Text>
      {props.rawErrors?.map((message) => (
        <Typography.Text key={message} type="danger" style={{ display: 'block' }}>
          {message}
        </Typography.Text>
      ))}
    </div>
  );
}
