// The admin's own changes over template items, kept apart from what the templates ship: per item the
// template's base value and the admin's value, pointer by pointer, and the overlay itself.

import { useQuery } from '@tanstack/react-query';
import { Collapse, Empty, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { listOverlays } from '../api/history.ts';
import { ErrorState, PageLoading } from '../app/PageStates.tsx';
import { kindLabel } from '../admin/dry-run-model.ts';
import { ReadableValue } from '../admin/ChangeDiff.tsx';
import { pointerSteps } from '../admin/field-diff-model.ts';
import { ToneTag } from '../admin/ToneTag.tsx';

export function OverlayList() {
  const { t } = useTranslation();
  const overlays = useQuery({ queryKey: ['overlays'], queryFn: listOverlays });
  if (overlays.isPending) return <PageLoading />;
  if (overlays.isError) return <ErrorState error={overlays.error} retry={() => void overlays.refetch()} />;
  const { items, adminItems } = overlays.data;
  return (
    <div data-testid="overlays">
      <Typography.Paragraph>{t('history.overlaysIntro')}</Typography.Paragraph>
      {items.length === 0 ? (
        <Empty description={t('history.noOverlays')} />
      ) : (
        <Collapse
          items={items.map((o) => ({
            key: `${o.kind}/${o.name}`,
            label: (
              <Space wrap data-testid={`overlay-${o.kind}-${o.name}`}>
                <span>
                  {kindLabel(t, o.kind)} <strong>{o.name}</strong>
                </span>
                {o.templates.map((tpl) => (
                  <ToneTag key={tpl}>{t('history.fromTemplate', { template: tpl })}</ToneTag>
                ))}
                {o.dormant ? <ToneTag tone="orange">{t('history.dormant')}</ToneTag> : <span style={{ color: '#4b5563' }}>{t('dryRun.changeCount', { count: o.changes.length })}</span>}
              </Space>
            ),
            children: o.dormant ? (
              <Typography.Paragraph>{t('history.dormantIntro')}</Typography.Paragraph>
            ) : (
              <table className="crm-compare" style={{ width: '100%', borderCollapse: 'collapse' }}>
                <thead>
                  <tr>
                    <th scope="col" style={{ textAlign: 'start', padding: 4 }}>{t('dryRun.path')}</th>
                    <th scope="col" style={{ textAlign: 'start', padding: 4 }}>{t('history.templateBase')}</th>
                    <th scope="col" style={{ textAlign: 'start', padding: 4 }}>{t('history.yourOverlay')}</th>
                  </tr>
                </thead>
                <tbody>
                  {o.changes.map((c) => (
                    <tr key={c.path} style={{ borderTop: '1px solid #e5e7eb' }}>
                      <td style={{ padding: 4, overflowWrap: 'anywhere', fontWeight: 600 }}>{pointerSteps(c.path).join(t('fieldDiff.pathSeparator')) || t('fieldDiff.wholeItem')}</td>
                      <td style={{ padding: 4, overflowWrap: 'anywhere' }}><ReadableValue value={c.before} /></td>
                      <td style={{ padding: 4, overflowWrap: 'anywhere' }}><ReadableValue value={c.after} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ),
          }))}
        />
      )}
      {adminItems.length > 0 && (
        <>
          <Typography.Title level={2} style={{ fontSize: 16, marginTop: 16 }}>
            {t('history.adminItems', { count: adminItems.length })}
          </Typography.Title>
          <Space wrap>
            {adminItems.map((i) => (
              <ToneTag key={`${i.kind}/${i.name}`}>{`${kindLabel(t, i.kind)} ${i.name}`}</ToneTag>
            ))}
          </Space>
        </>
      )}
    </div>
  );
}
