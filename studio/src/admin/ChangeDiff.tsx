// An item's change as an admin reads it: each property added, removed or changed, at a readable
// place ("fields › priority › options"), with its values before → after; the pointer-by-pointer
// table (raw JSON values) one toggle away for experts.

import { Button } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JsonChange } from '../api/templates.ts';
import { showValue } from './dry-run-model.ts';
import { fieldLines, type FieldLine } from './field-diff-model.ts';
import { ToneTag } from './ToneTag.tsx';

const tone = { added: 'green', removed: 'red', changed: 'blue' } as const;
type T = (key: string, options?: Record<string, unknown>) => string;

/** The pointer-by-pointer table: each path with its JSON values before and after. */
export function ChangeTable({ changes }: { changes: JsonChange[] }) {
  const { t } = useTranslation();
  // A plain table whose long values wrap: nothing scrolls sideways (a scrolling region needs focus).
  const cell = { padding: '4px 8px', overflowWrap: 'anywhere' as const, verticalAlign: 'top' as const };
  return (
    <table style={{ width: '100%', borderCollapse: 'collapse', tableLayout: 'fixed' }}>
      <thead>
        <tr style={{ background: '#fafafa' }}>
          <th scope="col" style={{ ...cell, textAlign: 'start', width: '30%' }}>{t('dryRun.path')}</th>
          <th scope="col" style={{ ...cell, textAlign: 'start' }}>{t('dryRun.before')}</th>
          <th scope="col" style={{ ...cell, textAlign: 'start' }}>{t('dryRun.after')}</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={c.path} style={{ borderTop: '1px solid #e5e7eb' }}>
            <td style={cell}><code>{c.path || '/'}</code></td>
            <td style={cell}><code>{showValue(c.before)}</code></td>
            <td style={cell}><code>{showValue(c.after)}</code></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A value in one short line: text quoted, yes/no, lists by their items, nothing as "none". */
export function readableValue(value: unknown, t: T): string {
  if (value === undefined || value === null) return t('fieldDiff.none');
  if (typeof value === 'boolean') return t(value ? 'fieldDiff.yes' : 'fieldDiff.no');
  if (typeof value === 'string') return showValue(value);
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return t('fieldDiff.none');
    if (value.every((v) => typeof v !== 'object' || v === null)) {
      const text = value.map((v) => readableValue(v, t)).join(t('fieldDiff.listSeparator'));
      return text.length > 160 ? `${text.slice(0, 157)}…` : text;
    }
  }
  if (typeof value === 'object' && Object.keys(value).length === 0) return t('fieldDiff.none');
  return showValue(value);
}

/** A value as it reads: an object spread into its properties, one a line ("label › en: "Fax""), anything else on one line. */
export function ReadableValue({ value }: { value: unknown }) {
  const { t } = useTranslation();
  if (value === undefined) return <code>{showValue(value)}</code>;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.keys(value).length === 0) return <code>{readableValue(value, t)}</code>;
  return (
    <span style={{ display: 'block' }}>
      {fieldLines([{ path: '', after: value }]).map((line, i) => (
        <span key={i} style={{ display: 'block', overflowWrap: 'anywhere' }}>
          {line.path.join(t('fieldDiff.pathSeparator'))}
          {t('fieldDiff.colon')}
          <code>{readableValue(line.after, t)}</code>
        </span>
      ))}
    </span>
  );
}

function Line({ line, first }: { line: FieldLine; first: boolean }) {
  const { t } = useTranslation();
  const place = line.path.length > 0 ? line.path.join(t('fieldDiff.pathSeparator')) : t('fieldDiff.wholeItem');
  return (
    <li style={{ padding: '4px 0', borderTop: first ? undefined : '1px solid #f0f0f0', overflowWrap: 'anywhere' }}>
      <ToneTag tone={tone[line.change]}>{t(`fieldDiff.${line.change}`)}</ToneTag>
      <span style={{ fontWeight: 600, marginInlineStart: 4 }}>{place}</span>
      {t('fieldDiff.colon')}
      {line.change === 'changed' ? (
        <>
          <code>{readableValue(line.before, t)}</code>
          {t('fieldDiff.arrow')}
          <code>{readableValue(line.after, t)}</code>
        </>
      ) : (
        <code>{readableValue(line.change === 'added' ? line.after : line.before, t)}</code>
      )}
    </li>
  );
}

/** An item's changes, property by property, with a toggle to the raw pointer table. */
export function ChangeDiff({ changes }: { changes: JsonChange[] }) {
  const { t } = useTranslation();
  const [json, setJson] = useState(false);
  const lines = fieldLines(changes);
  return (
    <div>
      {json ? (
        <ChangeTable changes={changes} />
      ) : (
        <ul data-testid="field-diff" aria-label={t('fieldDiff.label', { count: lines.length })} style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {lines.map((line, i) => (
            <Line key={`${line.path.join('/')}#${i}`} line={line} first={i === 0} />
          ))}
        </ul>
      )}
      <Button type="link" size="small" style={{ paddingInline: 0 }} aria-pressed={json} onClick={() => setJson(!json)} data-testid="field-diff-json">
        {t('fieldDiff.showJson')}
      </Button>
    </div>
  );
}
