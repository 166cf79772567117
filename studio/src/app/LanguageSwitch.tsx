// en / 中文: the UI strings switch through i18next, metadata labels follow the same language, and
// the API answers in it (Accept-Language). Signed in, the frame passes `onSwitch`, which also saves
// the choice with the user.

import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { setLanguage, type Language } from '../i18n/i18n.ts';

export function LanguageSwitch({ onSwitch = setLanguage }: { onSwitch?: (language: Language) => void }) {
  const { t, i18n } = useTranslation();
  return (
    <Segmented
      aria-label={t('app.language')}
      size="small"
      value={i18n.language === 'zh' ? 'zh' : 'en'}
      options={[
        { label: 'EN', value: 'en' },
        { label: '中文', value: 'zh' },
      ]}
      onChange={(v) => onSwitch(v as Language)}
    />
  );
}
