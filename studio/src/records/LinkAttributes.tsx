// The attributes of each many-to-many link (a contact's role in a deal), edited beside the link:
// one row per linked record, one input per link field. The server checks them like fields.

import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FieldDef } from '../api/meta.ts';
import { useLanguage } from '../app/use-language.ts';
import '../i18n/features.ts';
import { FieldInput } from './FieldInput.tsx';

export type Link = string | { id: string; [attribute: string]: unknown };
export const linkId = (link: Link): string => (typeof link === 'string' ? link : link.id);

export function LinkAttributes({ id, linkFields, links, titles, onChange }: { id: string; linkFields: Record<string, FieldDef>; links: Link[]; titles: ReadonlyMap<string, string> | undefined; onChange: (links: Link[]) => void }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  if (links.length === 0) return null;
  const set = (index: number, attribute: string, value: unknown) => {
    const next = links.map((link, i) => {
      if (i !== index) return link;
      const { [attribute]: _old, ...rest } = typeof link === 'string' ? { id: link } : link;
      return value === undefined || value === '' ? rest : { ...rest, [attribute]: value };
    });
    onChange(next as Link[]);
  };
  const columns = Object.entries(linkFields);
  return (
    <table style={{ width: '100%', marginTop: 8, borderCollapse: 'collapse' }} aria-label={t('linkAttributes.table')}>
      <thead>
        <tr>
          <th style={{ textAlign: 'start', fontWeight: 500, padding: '4px 8px 4px 0' }}>{t('linkAttributes.record')}</th>
          {columns.map(([name, def]) => (
            <th key={name} style={{ textAlign: 'start', fontWeight: 500, padding: '4px 8px 4px 0' }}>
              {label(def.label, name)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {links.map((link, index) => {
          const title = titles?.get(linkId(link)) ?? linkId(link);
          return (
            <tr key={linkId(link)}>
              <td style={{ padding: '4px 8px 4px 0' }}>
                <Typography.Text>{title}</Typography.Text>
              </td>
              {columns.map(([name, def]) => (
                <td key={name} style={{ padding: '4px 8px 4px 0', minWidth: 120 }}>
                  <FieldInput
                    id={`${id}_${index}_${name}`}
                    field={def}
                    value={typeof link === 'string' ? undefined : link[name]}
                    onChange={(v) => set(index, name, v)}
                    ariaLabel={t('linkAttributes.inputLabel', { attribute: label(def.label, name), record: title })}
                  />
                </td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
