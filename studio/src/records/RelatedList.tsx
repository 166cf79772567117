// Children of a record by their lookup to it, through the form's view of them (its columns, filter
// and sort), with "new" prefilled with the parent.

import { PlusOutlined } from '../app/icons.tsx';
import { useQuery } from '@tanstack/react-query';
import { Button, Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useEntities, useEntityAccess, useMetaKind, useRevision } from '../api/meta.ts';
import { listRecords, type RecordValues } from '../api/records.ts';
import { useLanguage } from '../app/use-language.ts';
import { columnsOf } from '../lists/resolve-view.ts';
import { ValueView } from './format-value.tsx';
import { ResponsiveTable } from '../app/ResponsiveTable.tsx';

export function RelatedList({ title, related, parent }: { title: string; related: { entity: string; via: string; view?: string }; parent: RecordValues; collapsed?: boolean }) {
  const { t } = useTranslation();
  const { label, language } = useLanguage();
  const navigate = useNavigate();
  const revision = useRevision();
  const entities = useEntities();
  const views = useMetaKind('views');
  const child = entities.data?.get(related.entity);
  const can = useEntityAccess(related.entity);
  // The form's view is run by name, as the list page runs one: its filter (with $me, $today…), who it
  // narrows to and its sort are the server's to apply, on the table and on a phone's cards alike. A
  // view the caller may not use is left out: the children still list, in the default order.
  const view = related.view && views.data?.get(related.view)?.entity === related.entity ? related.view : undefined;
  const rows = useQuery({
    queryKey: ['records', revision, related.entity, 'related', related.via, parent.id, view ?? ''],
    enabled: Boolean(child?.fields[related.via]) && !views.isPending,
    queryFn: () => listRecords(related.entity, { filter: { [related.via]: parent.id }, limit: 20, total: true, ...(view ? { view } : {}) }),
  });
  // A child entity (or its link field) the caller may not read is not shown at all.
  if (!child || !child.fields[related.via]) return null;
  const columns = columnsOf(child, view ? views.data?.get(view) : undefined).filter((c) => !c.via && c.field !== related.via).slice(0, 5);
  return (
    <Card
      size="small"
      title={<h2 style={{ fontSize: 16, margin: 0 }}>{`${title} (${rows.data?.total ?? 0})`}</h2>}
      extra={
        can('create') && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => void navigate(`/e/${related.entity}/new?${new URLSearchParams({ [related.via]: parent.id })}`)}>
            {t('record.newChild', { entity: label(child.label, child.name) })}
          </Button>
        )
      }
    >
      {/* On a phone the rows are cards (ResponsiveTable); were a table wider than the card, it would scroll here, not the whole page. */}
      <div role="region" aria-label={title} tabIndex={0} style={{ overflowX: 'auto' }}>
        <ResponsiveTable<RecordValues>
          size="small"
          rowKey="id"
          pagination={false}
          loading={rows.isFetching}
          dataSource={rows.data?.items ?? []}
          columns={columns.map((c, i) => ({
            key: c.path,
            title: label(c.label ?? child.fields[c.field]?.label, c.field),
            render: (_: unknown, r: RecordValues) => {
              const v = <ValueView field={child.fields[c.field]} value={r[c.field]} language={language} />;
              return i === 0 ? <Link to={`/e/${related.entity}/${r.id}`}>{r[c.field] === undefined ? r.id : v}</Link> : v;
            },
          }))}
        />
      </div>
    </Card>
  );
}
