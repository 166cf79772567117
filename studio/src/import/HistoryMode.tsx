// History import (administrators only; the server refuses it to anyone else): records arrive as the
// old system left them — their workflow state as a column gives it, their creation and closing
// dates and their owner from the columns chosen here — and no trigger, action, notification or SLA
// escalation fires for them; their state history is computed from the imported dates.

import { Card, Flex, Switch, Typography } from 'antd';
import { Select } from '../app/localized-controls.tsx';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { HistoryColumns, Suggestion } from '../api/imports.ts';
import type { Draft } from './mapping-model.ts';

const parts = ['createdAt', 'closedAt', 'owner'] as const;

export function HistoryMode(props: { suggestion: Suggestion; draft: Draft; onDraft: (d: Draft) => void; on: boolean; onChange: (on: boolean) => void }) {
  const { t } = useTranslation();
  const helpId = useId();
  const { draft } = props;
  const setColumn = (part: keyof HistoryColumns, column: string | undefined) => {
    const history = { ...draft.history };
    if (column) history[part] = column;
    else delete history[part];
    props.onDraft({ ...draft, history });
  };
  return (
    <Card size="small" title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('importWizard.historyTitle')}</Typography.Title>} data-testid="import-history-mode">
      <Flex vertical gap={12}>
        <Flex gap={8} align="center">
          <Switch checked={props.on} onChange={props.onChange} aria-describedby={helpId} aria-label={t('importWizard.historySwitch')} data-testid="import-history-switch" />
          <Typography.Text strong>{t('importWizard.historySwitch')}</Typography.Text>
        </Flex>
        <Typography.Paragraph type="secondary" id={helpId} style={{ margin: 0 }}>
          {t('importWizard.historyHelp')}
        </Typography.Paragraph>
        {props.on && (
          <Flex gap={16} wrap>
            {parts.map((part) => (
              <Flex key={part} vertical gap={4} style={{ minWidth: 200 }}>
                <Typography.Text>{t(`importWizard.history_${part}`)}</Typography.Text>
                <Select
                  allowClear
                  aria-label={t(`importWizard.history_${part}`)}
                  placeholder={t('importWizard.historyNone')}
                  value={draft.history[part]}
                  options={props.suggestion.columns.map((c) => ({ value: c, label: c }))}
                  onChange={(column?: string) => setColumn(part, column)}
                  data-testid={`import-history-${part}`}
                />
              </Flex>
            ))}
          </Flex>
        )}
      </Flex>
    </Card>
  );
}
