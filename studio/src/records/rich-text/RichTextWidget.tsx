// The rjsf widget of a field the form lays out as rich text: the editor (or, read-only, the formatted
// text), each loaded when a form first draws one, a plain text area of the value standing in meanwhile.

import { ariaDescribedByIds, type WidgetProps } from '@rjsf/utils';
import { Input } from 'antd';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';

const RichTextEditor = lazy(() => import('./RichTextEditor.tsx'));
const RichTextValue = lazy(() => import('./RichTextValue.tsx'));

export function RichTextWidget(props: WidgetProps & { empty: string }) {
  const { t } = useTranslation();
  const value = typeof props.value === 'string' ? props.value : undefined;
  const standIn = <Input.TextArea id={props.id} aria-label={props.label} value={value ?? ''} placeholder={t('richText.loading')} readOnly autoSize={{ minRows: 3, maxRows: 12 }} />;
  if (props.readonly || props.disabled) {
    return (
      <Suspense fallback={standIn}>
        <RichTextValue id={props.id} label={props.label} value={value} empty={props.empty} />
      </Suspense>
    );
  }
  return (
    <Suspense fallback={standIn}>
      <RichTextEditor
        id={props.id}
        label={props.label}
        value={value}
        describedBy={ariaDescribedByIds(props.id)}
        onChange={(markdown) => props.onChange(markdown)}
        onFocus={() => props.onFocus(props.id, props.value)}
        onBlur={() => props.onBlur(props.id, props.value)}
      />
    </Suspense>
  );
}
