// A label in both languages the engine ships: two inputs, written back as { en, zh } (empty ones left out).

import { Input, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Label } from '../../i18n/i18n.ts';

export function toLocalized(value: Label): { en?: string; zh?: string } {
  if (value === undefined) return {};
  if (typeof value === 'string') return { en: value };
  return { ...(value['en'] ? { en: value['en'] } : {}), ...(value['zh'] ? { zh: value['zh'] } : {}) };
}

export function LocalizedInput({ id, label, value, onChange, multiline }: { id: string; label: string; value: Label; onChange: (next: { en?: string; zh?: string } | undefined) => void; multiline?: boolean }) {
  const { t } = useTranslation();
  const current = toLocalized(value);
  const set = (language: 'en' | 'zh', text: string) => {
    const next = { ...current, [language]: text };
    if (!text) delete next[language];
    onChange(Object.keys(next).length > 0 ? next : undefined);
  };
  const Field = multiline ? Input.TextArea : Input;
  return (
    <Space.Compact block>
      <Field id={`${id}-en`} aria-label={t('impact.inLanguage', { label, language: t('impact.english') })} placeholder="English" value={current.en ?? ''} onChange={(e) => set('en', e.target.value)} />
      <Field id={`${id}-zh`} aria-label={t('impact.inLanguage', { label, language: t('impact.chinese') })} placeholder="中文" value={current.zh ?? ''} onChange={(e) => set('zh', e.target.value)} />
    </Space.Compact>
  );
}
