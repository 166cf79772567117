// "Where is this used": a button that opens a drawer listing every item and place that names an
// entity or a field (from GET /api/meta/usages/…), each linking to its designer where there is one.

import { useQuery } from '@tanstack/react-query';
import { Button, Drawer, Empty, List, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usagesOf } from '../../api/designer.ts';
import { kindLabel } from '../dry-run-model.ts';

const designers: Record<string, string> = { entity: 'entities', form: 'forms', view: 'views', dashboard: 'dashboards', workflow: 'workflows' };
const designerPath = (kind: string, name: string): string | undefined => (kind === 'role' ? '/admin/roles' : designers[kind] ? `/admin/${designers[kind]}/${encodeURIComponent(name)}` : undefined);

export function UsagesButton({ entity, field, size }: { entity: string; field?: string; size?: 'small' | 'middle' }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const usages = useQuery({ queryKey: ['designer', 'usages', entity, field ?? ''], queryFn: () => usagesOf('entity', entity, field), enabled: open });
  const subject = field ? `${entity}.${field}` : entity;
  return (
    <>
      <Button size={size} onClick={() => setOpen(true)} aria-label={t('impact.usagesOf', { subject })}>
        {t('impact.usages')}
      </Button>
      <Drawer open={open} onClose={() => setOpen(false)} title={t('impact.usagesOf', { subject })} size={480}>
        {usages.isPending && <Spin />}
        {usages.data && usages.data.length === 0 && <Empty description={t('impact.unused')} />}
        {usages.data && usages.data.length > 0 && (
          <List
            size="small"
            header={<Typography.Text>{t('impact.usedIn', { count: usages.data.length })}</Typography.Text>}
            dataSource={usages.data}
            renderItem={(u) => {
              const to = designerPath(u.kind, u.name);
              return (
                <List.Item>
                  <span>
                    <Tag>{kindLabel(t, u.kind)}</Tag>
                    {to ? <Link to={to} style={{ textDecoration: "underline" }}>{u.name}</Link> : u.name} <Typography.Text code>{u.path}</Typography.Text>
                  </span>
                </List.Item>
              );
            }}
          />
        )}
      </Drawer>
    </>
  );
}
