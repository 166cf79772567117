// How the file writes dates and numbers: the date order (31/12/2025 is day first), the decimal
// separator (1.234,56) and the time zone of date-times written without an offset (none by default:
// such a date-time is refused, never read in a zone nobody chose). Shown whatever is mapped: history
// mode's dates and a transform's results are date-times too. What the sample rows suggest is shown for the user to take, never applied
// unasked: a file whose sample reads both ways is theirs to decide.

import { Alert, Button, Card, Flex, Typography } from 'antd';
import { Select } from '../app/localized-controls.tsx';
import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Suggestion } from '../api/imports.ts';
import type { EntityDef } from '../api/meta.ts';
import type { Draft } from './mapping-model.ts';
import { suggestReading, type DateOrder, type DecimalSeparator, type Reading } from './reading-model.ts';

const dateOrders: DateOrder[] = ['YMD', 'DMY', 'MDY'];
const separators: DecimalSeparator[] = ['.', ','];
const separatorKey = { '.': 'point', ',': 'comma' } as const;

/** The IANA zones the browser knows, UTC among them (some engines leave it out of the list). */
function timeZones(): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set([...known, 'UTC'])].sort();
}

/**
 * A zone's name in the UI language (中国标准时间, Central European Standard Time), so that a reader
 * finds their zone by the words they know; empty where Intl knows only an offset (GMT+06:00).
 */
function zoneName(zone: string, language: string): string {
  try {
    const name = new Intl.DateTimeFormat(language, { timeZone: zone, timeZoneName: 'longGeneric' }).formatToParts(0).find((p) => p.type === 'timeZoneName')?.value ?? '';
    return /^(GMT|UTC)([+-]|$)/.test(name) ? '' : name;
  } catch {
    return '';
  }
}

export function ReadingOptions(props: { entity: EntityDef; suggestion: Suggestion; draft: Draft; onDraft: (d: Draft) => void }) {
  const { t, i18n } = useTranslation();
  const dateId = useId();
  const decimalId = useId();
  const zoneId = useId();
  const zoneHelpId = useId();
  const zones = useMemo(timeZones, []);
  const zoneNames = useMemo(() => new Map(zones.map((zone) => [zone, zoneName(zone, i18n.language)])), [zones, i18n.language]);
  const { draft, onDraft } = props;
  const rows = props.suggestion.preview.flatMap((r) => (r.values ? [r.values as Record<string, unknown>] : []));
  const hint = suggestReading(props.entity, draft.fieldOf, rows);
  // The default is left out of the mapping: a year-first order and a decimal point are what it reads without them.
  const set = (reading: Reading) => {
    const next = { ...draft.reading, ...reading };
    if (next.dateOrder === 'YMD') delete next.dateOrder;
    if (next.decimalSeparator === '.') delete next.decimalSeparator;
    if (!next.timeZone) delete next.timeZone;
    onDraft({ ...draft, reading: next });
  };
  const pending: Reading = {
    ...(hint.dateOrder && hint.dateOrder !== draft.reading.dateOrder ? { dateOrder: hint.dateOrder } : {}),
    ...(hint.decimalSeparator && hint.decimalSeparator !== draft.reading.decimalSeparator ? { decimalSeparator: hint.decimalSeparator } : {}),
  };
  const described = [pending.dateOrder && t(`importWizard.dateOrder_${pending.dateOrder}`), pending.decimalSeparator && t(`importWizard.decimal_${separatorKey[pending.decimalSeparator]}`)].filter(Boolean).join(t('importWizard.listSeparator'));

  return (
    <Card size="small" title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('importWizard.readingTitle')}</Typography.Title>} data-testid="import-reading">
      <Flex vertical gap={12}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{t('importWizard.readingHelp')}</Typography.Paragraph>
        {described && (
          <Alert
            type="info"
            showIcon
            data-testid="import-reading-suggestion"
            title={t('importWizard.readingSuggested', { options: described })}
            action={<Button size="small" onClick={() => set(pending)} data-testid="import-reading-apply">{t('importWizard.readingApply')}</Button>}
          />
        )}
        {hint.dateOrderUnclear && !draft.reading.dateOrder && <Alert type="warning" showIcon data-testid="import-reading-date-unclear" title={t('importWizard.dateOrderUnclear')} />}
        {hint.decimalUnclear && <Alert type="warning" showIcon title={t('importWizard.decimalUnclear')} />}
        <Flex gap={16} wrap>
          <Flex vertical gap={4} style={{ minWidth: 240 }}>
            <Typography.Text id={dateId}>{t('importWizard.dateOrder')}</Typography.Text>
            <Select
              aria-labelledby={dateId}
              value={draft.reading.dateOrder ?? 'YMD'}
              options={dateOrders.map((order) => ({ value: order, label: t(`importWizard.dateOrder_${order}`) }))}
              onChange={(dateOrder: DateOrder) => set({ dateOrder })}
              data-testid="import-date-order"
            />
          </Flex>
          <Flex vertical gap={4} style={{ minWidth: 240 }}>
            <Typography.Text id={decimalId}>{t('importWizard.decimalSeparator')}</Typography.Text>
            <Select
              aria-labelledby={decimalId}
              value={draft.reading.decimalSeparator ?? '.'}
              options={separators.map((separator) => ({ value: separator, label: t(`importWizard.decimal_${separatorKey[separator]}`) }))}
              onChange={(decimalSeparator: DecimalSeparator) => set({ decimalSeparator })}
              data-testid="import-decimal-separator"
            />
          </Flex>
          <Flex vertical gap={4} style={{ minWidth: 240, flex: '1 1 240px', maxWidth: 420 }}>
            <Typography.Text id={zoneId}>{t('importWizard.timeZone')}</Typography.Text>
            <Select
              aria-labelledby={zoneId}
              aria-describedby={zoneHelpId}
              showSearch
              // Found by its id or its name in the UI language; shown chosen by its id, listed with both.
              filterOption={(input, option) => [option?.label, option?.name].some((text) => typeof text === 'string' && text.toLowerCase().includes(input.trim().toLowerCase()))}
              optionRender={(option) => (option.data.name ? <>{option.label} <Typography.Text type="secondary">{option.data.name}</Typography.Text></> : option.label)}
              value={draft.reading.timeZone ?? ''}
              // A loaded mapping's zone this browser does not list (an alias) stays choosable.
              options={[{ value: '', label: t('importWizard.timeZoneNone'), name: '' }, ...[...zones, ...(draft.reading.timeZone && !zones.includes(draft.reading.timeZone) ? [draft.reading.timeZone] : [])].map((zone) => ({ value: zone, label: zone, name: zoneNames.get(zone) ?? '' }))]}
              onChange={(timeZone: string) => set({ timeZone })}
              data-testid="import-time-zone"
            />
            <Typography.Text type="secondary" id={zoneHelpId} style={{ fontSize: 12 }}>{t('importWizard.timeZoneHelp')}</Typography.Text>
          </Flex>
        </Flex>
      </Flex>
    </Card>
  );
}
