// The menu group an entity sits under (its `menuGroup`): one of the groups the menu already has (a
// template module's, or one another entity named), a new one typed in both languages, or none (the
// entity then sits under "Other"). The server places it: a label it shares with a group joins that group.

import { Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useEntities, useNavigation } from '../../api/meta.ts';
import { Select } from '../../app/localized-controls.tsx';
import { useLanguage } from '../../app/use-language.ts';
import type { Label } from '../../i18n/i18n.ts';
import { LocalizedInput, toLocalized } from '../impact/LocalizedInput.tsx';

const textsOf = (label: Label): string[] => Object.values(toLocalized(label)).map((t) => t.trim().toLowerCase()).filter(Boolean);
/** As the server compares them: two labels sharing a text in any language name one group. */
export const sameGroup = (a: Label, b: Label): boolean => textsOf(a).some((t) => textsOf(b).includes(t));

/**
 * A menuGroup without its texts of white space alone (stored before the server refused them): none
 * left, it is no group — shown and saved as none, as the server's menu reads it.
 */
export function namedGroup(group: Label | undefined): Label | undefined {
  if (group === undefined) return undefined;
  if (typeof group === 'string') return group.trim() === '' ? undefined : group;
  const named = Object.entries(group).filter(([, text]) => typeof text === 'string' && text.trim() !== '');
  return named.length === 0 ? undefined : Object.fromEntries(named);
}

export function MenuGroupPicker({ id, value: given, onChange }: { id: string; value: Label | undefined; onChange: (next: Label | undefined) => void }) {
  const { t } = useTranslation();
  const value = namedGroup(given);
  const { label } = useLanguage();
  const nav = useNavigation();
  const entities = useEntities();
  const known: Label[] = [];
  const candidates = [...(nav.data?.groups ?? []).filter((g) => g.key !== 'other').map((g) => g.label), ...[...(entities.data?.values() ?? [])].map((e) => namedGroup(e.menuGroup))];
  for (const candidate of candidates) if (candidate !== undefined && textsOf(candidate).length > 0 && !known.some((k) => sameGroup(k, candidate))) known.push(candidate);
  const matching = value === undefined ? -1 : known.findIndex((k) => sameGroup(k, value));
  const [typing, setTyping] = useState(value !== undefined && matching < 0);
  const selected = typing ? 'new' : matching >= 0 ? `group:${matching}` : 'none';
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Select
        id={id}
        value={selected}
        onChange={(v: string) => {
          setTyping(v === 'new');
          if (v === 'none' || v === 'new') onChange(undefined);
          else onChange(known[Number(v.slice('group:'.length))]);
        }}
        options={[
          ...known.map((k, i) => ({ value: `group:${i}`, label: label(k, '') })),
          { value: 'new', label: t('entityDesigner.menuGroupNew') },
          { value: 'none', label: t('entityDesigner.menuGroupNone') },
        ]}
      />
      {typing && <LocalizedInput id={`${id}-new`} label={t('entityDesigner.menuGroupNewLabel')} value={value} onChange={(l) => onChange(l)} />}
    </Space>
  );
}
