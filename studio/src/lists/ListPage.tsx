// A list page from view metadata: columns, filters by field type, sort by column, keyset paging
// (forward by the server's cursor, back by the cursors already seen), the total, inline edit,
// bulk update and delete of the selected rows, an Export menu (the server's file of the whole
// filtered list, with the columns shown), saved personal views.
// On a phone (under 600 px) the records are cards instead of the table's rows (RecordCards).
// A kanban view renders as a board instead.

import { DownloadOutlined, PlusOutlined } from '../app/icons.tsx';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Dropdown, Space, Table, Typography, type TableProps } from 'antd';
import { lazy, memo, Suspense, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../api/client.ts';
import { useEntities, useEntityAccess, useMetaKind, useRevision } from '../api/meta.ts';
import { listRecords, updateRecord, type ExportFormat, type RecordValues } from '../api/records.ts';
import { ErrorState, PageLoading } from '../app/PageStates.tsx';
import { useSession } from '../app/session.tsx';
import { useLanguage } from '../app/use-language.ts';
import { ValueView, valueText } from '../records/format-value.tsx';
import { markdownText, richTextFields } from '../records/rich-text/rich-text-fields.ts';
import { FullValue } from './FullValue.tsx';
import { fetchRecordForPage } from '../records/record-query.ts';
import { targetsOf } from '../records/lookup-titles.ts';
import { usePeopleNames } from '../records/people.ts';
import { BulkActions } from './BulkActions.tsx';
import { RecordCards, SortSelect, type CardLine } from './RecordCards.tsx';
import { RowCheckbox, toggledKeys } from './RowCheckbox.tsx';
import { EditableCell, isInlineEditable } from './EditableCell.tsx';
import { FilterBar } from './FilterBar.tsx';
import type { FilterState } from './list-filters.ts';
import { listExportUrl, listPageQuery } from './list-query.ts';
import { useResolvedView, type ColumnSpec, type ResolvedView } from './resolve-view.ts';
import { loadSavedViews, storeSavedViews } from './saved-views.ts';
import { usePhoneWidth } from '../app/use-phone-width.ts';

/** A menu item chosen by keyboard follows its link as a click on the link itself does. */
function followUnlessLink(target: EventTarget, href: string): void {
  if (target instanceof Element && target.closest('a')) return;
  const a = document.createElement('a');
  a.href = href;
  a.download = '';
  document.body.append(a);
  a.click();
  a.remove();
}

const KanbanBoard = lazy(() => import('../kanban/KanbanBoard.tsx'));

/** Columns of dates and date-times wide enough for "2026年12月31日 17:00" or "30 Sept 2026, 17:00" where the view sets no width. */
const dateColumnWidth: Record<string, number> = { date: 124, datetime: 164 };

export default function ListPage() {
  const params = useParams();
  const resolved = useResolvedView({ view: params['view'], entity: params['entity'] });
  const { t } = useTranslation();
  if (resolved.loading) return <PageLoading />;
  if (!resolved.data) return <ErrorState error={t('app.notFound')} />;
  if (resolved.data.view.type === 'kanban')
    return (
      <Suspense fallback={<PageLoading />}>
        <KanbanBoard resolved={resolved.data} />
      </Suspense>
    );
  return <RecordList key={resolved.data.view.name} resolved={resolved.data} />;
}

/** Titles for every lookup column on the page, in one query: (column path) → id → text. */
function useColumnTitles(resolved: ResolvedView, rows: RecordValues[]): Map<string, Map<string, string>> {
  const revision = useRevision();
  const entities = useEntities();
  const wanted = resolved.columns.flatMap((c) => {
    const target = targetsOf(resolved.entity.fields[c.field])[0];
    const def = target ? entities.data?.get(target) : undefined;
    if (!target || !def) return [];
    const via = c.via ?? def.titleField ?? 'id';
    if (c.via && !def.fields[c.via] && c.via !== 'id') return [];
    const ids = [...new Set(rows.map((r) => r[c.field]).filter((v): v is string => typeof v === 'string'))].sort();
    return ids.length ? [{ path: c.path, target, via, ids }] : [];
  });
  const query = useQuery({
    queryKey: ['titles', revision, 'columns', wanted],
    enabled: wanted.length > 0,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
    queryFn: async () => {
      const out = new Map<string, Map<string, string>>();
      await Promise.all(
        wanted.map(async (w) => {
          const found = await listRecords(w.target, { filter: { id: { $in: w.ids } }, fields: ['id', w.via], limit: Math.min(1000, w.ids.length) }).catch(() => ({ items: [] as RecordValues[] }));
          out.set(w.path, new Map(found.items.map((r) => [r.id, String(r[w.via] ?? '')])));
        }),
      );
      return out;
    },
  });
  return query.data ?? new Map();
}

// Not rendered again by a render of the page above it with the same view (the router's state
// changing, the page being left): its 50 rows through the table are the page's largest render.
// Its own state, queries and contexts still render it.
const RecordList = memo(RecordListBody);

function RecordListBody({ resolved }: { resolved: ResolvedView }) {
  const { entity, view, columns } = resolved;
  const { t } = useTranslation();
  const { label, language } = useLanguage();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const can = useEntityAccess(entity.name);
  const client = useQueryClient();
  const revision = useRevision();
  const { me } = useSession();
  const phone = usePhoneWidth();
  const workflows = useMetaKind('workflows');
  // A rich text's Markdown reads as its words on one line.
  const forms = useMetaKind('forms');
  const richText = useMemo(() => richTextFields(entity.name, forms.data), [entity.name, forms.data]);
  // A workflow's state field moves by transitions only.
  const stateFields = new Set([...(workflows.data?.values() ?? [])].filter((w) => w.entity === entity.name && w.field).map((w) => w.field!));
  const [filters, setFilters] = useState<FilterState>({});
  const [sort, setSort] = useState(view.sort ?? '');
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [selected, setSelected] = useState<React.Key[]>([]);
  // The row last clicked, where a shift-click's range starts.
  const anchor = useRef<number | undefined>(undefined);
  const [saved, setSaved] = useState(() => loadSavedViews(me?.user.id ?? '', view.name));
  const cursor = cursors[cursors.length - 1];
  const pageQuery = listPageQuery({ revision, resolved, filters, sort, cursor });
  const { queryKey } = pageQuery;
  const page = useQuery({ ...pageQuery, placeholderData: keepPreviousData });
  const rows = page.data?.items ?? [];
  const titles = useColumnTitles(resolved, rows);
  // User fields read as people's names (the directory), in one query for the page.
  const isPersonColumn = (field: string) => resolved.entity.fields[field]?.type === 'user';
  const people = usePeopleNames(resolved.columns.filter((c) => !c.via && isPersonColumn(c.field)).flatMap((c) => rows.map((r) => (typeof r[c.field] === 'string' ? String(r[c.field]) : undefined))));

  const restart = () => {
    setCursors([undefined]);
    setSelected([]);
  };
  const changeFilters = (next: FilterState) => {
    setFilters(next);
    restart();
  };
  const saveCell = (row: RecordValues, field: string) => async (value: unknown) => {
    try {
      const updated = await updateRecord(entity.name, row.id, { [field]: value }, row.version);
      client.setQueryData(queryKey, (old: typeof page.data) => old && { ...old, items: old.items.map((r) => (r.id === row.id ? { ...r, ...updated } : r)) });
      void message.success(t('list.saved'));
    } catch (e) {
      const detail = e instanceof ApiError ? (e.details[0]?.message ?? e.message) : String(e);
      void message.error(detail);
    }
  };

  const sortOrderOf = (path: string): 'ascend' | 'descend' | null => {
    const first = sort.split(',')[0] ?? '';
    if (first === path) return 'ascend';
    if (first === `-${path}`) return 'descend';
    return null;
  };
  const columnLabel = (c: ColumnSpec) => label(c.label ?? entity.fields[c.field]?.label, c.path);
  const sortable = (c: ColumnSpec) => !c.via && entity.fields[c.field]?.type !== 'multipicklist' && entity.fields[c.field]?.type !== 'address';
  // A column shows its lookups' titles and its users' names, not their ids.
  const named = (c: ColumnSpec) => entity.fields[c.field]?.type === 'lookup' || (!c.via && isPersonColumn(c.field));
  /** A cell as shown, read-only: a lookup's title (a link to that record unless `linked` is false), a user's name, the value formatted by its type. The table's cells and the phone's cards both show this. */
  const cellView = (c: ColumnSpec, row: RecordValues, linked = true): ReactNode => {
    const field = entity.fields[c.field];
    const value = row[c.field];
    if (!c.via && richText.has(c.field) && typeof value === 'string') return markdownText(value);
    if (field?.type === 'lookup') {
      const text = value ? (titles.get(c.path)?.get(String(value)) ?? '') : '';
      const target = targetsOf(field)[0];
      if (!value || !target) return null;
      return linked ? <Link to={`/e/${target}/${String(value)}`}>{text || '…'}</Link> : text || '…';
    }
    if (!c.via && isPersonColumn(c.field)) return typeof value === 'string' ? (people.data?.get(value) ?? (people.isPending ? '…' : value)) : null;
    return <ValueView field={field} value={value} language={language} />;
  };
  /** A cell's value as plain text (the whole of what an ellipsis may cut). */
  const cellText = (c: ColumnSpec, row: RecordValues): string => {
    const field = entity.fields[c.field];
    const value = row[c.field];
    if (!c.via && richText.has(c.field) && typeof value === 'string') return markdownText(value);
    if (field?.type === 'lookup') return value ? (titles.get(c.path)?.get(String(value)) ?? '') : '';
    if (!c.via && isPersonColumn(c.field)) return typeof value === 'string' ? (people.data?.get(value) ?? value) : '';
    return valueText(field, value, language);
  };
  /** The link to the record, reading as column `c` (its id when that is empty or there is no such column). */
  const recordLink = (row: RecordValues, c: ColumnSpec | undefined) => {
    const value = c ? row[c.field] : undefined;
    return (
      <Link to={`/e/${entity.name}/${row.id}`} onClick={() => fetchRecordForPage(client, revision, entity.name, row.id)}>
        {c ? cellView(c, row, false) : null}
        {value === undefined || value === null || value === '' ? row.id : null}
      </Link>
    );
  };
  const tableColumns: TableProps<RecordValues>['columns'] = columns.map((c) => {
    const field = entity.fields[c.field];
    const title = columnLabel(c);
    const editLabel = t('list.editCell', { field: title });
    return {
      key: c.path,
      dataIndex: c.field,
      title,
      width: c.width ?? dateColumnWidth[field?.type ?? ''],
      sorter: sortable(c),
      sortOrder: sortOrderOf(c.path),
      // Cut to one line; FullValue keeps the whole value reachable (antd's own title covers plain strings only).
      ellipsis: { showTitle: false },
      render: (_: unknown, row: RecordValues) => {
        const text = c.field === entity.titleField && !cellText(c, row) ? row.id : cellText(c, row);
        let content: ReactNode;
        let tags = false;
        if (named(c)) content = cellView(c, row);
        else if (c.field === entity.titleField) content = recordLink(row, c);
        // A rich text is edited on its record, where its formatting shows (inline it would be its Markdown marks).
        else if (can('update') && isInlineEditable(field) && !stateFields.has(c.field) && !richText.has(c.field)) content = <EditableCell field={field!} value={row[c.field]} language={language} label={title} editLabel={editLabel} onSave={saveCell(row, c.field)} />;
        else {
          content = cellView(c, row);
          // Options drawn as tags: their own ellipsis (the browser draws none after a box).
          tags = !c.via && (field?.type === 'multipicklist' || field?.type === 'picklist');
        }
        return <FullValue text={text} tags={tags}>{content}</FullValue>;
      },
    };
  });
  if (!columns.some((c) => c.field === entity.titleField)) {
    tableColumns.unshift({ key: '_open', title: t('list.open'), width: 80, render: (_: unknown, row: RecordValues) => <Link to={`/e/${entity.name}/${row.id}`}>{t('list.open')}</Link> });
  }
  // On a phone, a card per record: titled by the title field's column (or the view's first), the other columns as lines.
  const titleColumn = columns.find((c) => c.field === entity.titleField) ?? columns[0];
  const cardLines: CardLine[] = columns.filter((c) => c !== titleColumn).map((c) => ({ key: c.path, label: columnLabel(c), value: (row) => cellView(c, row) }));
  const sortOptions = columns.filter(sortable).flatMap((c) => [
    { value: c.path, label: t('listCards.ascending', { field: columnLabel(c) }) },
    { value: `-${c.path}`, label: t('listCards.descending', { field: columnLabel(c) }) },
  ]);
  if (!sortOptions.some((o) => o.value === (view.sort ?? ''))) sortOptions.unshift({ value: view.sort ?? '', label: t('listCards.defaultOrder') });
  const toggleRow = (i: number, range: boolean) => {
    setSelected(toggledKeys(selected, rows.map((r) => r.id), i, anchor.current, range));
    anchor.current = i;
  };
  const selecting = can('update') || can('delete');

  const exportLink = (format: ExportFormat) => listExportUrl({ resolved, filters, sort, format, lang: language });
  const exportItems = ([['csv', 'list.exportCsv'], ['xlsx', 'list.exportXlsx'], ['jsonl', 'list.exportJsonl']] as const).map(([format, text]) => ({
    key: format,
    label: (
      <a href={exportLink(format)} download data-testid={`export-${format}`}>
        {t(text)}
      </a>
    ),
  }));

  const saveView = () => {
    const name = window.prompt(t('list.saveViewName'));
    if (!name) return;
    const next = [...saved.filter((s) => s.name !== name), { name, filters, sort }];
    setSaved(next);
    storeSavedViews(me?.user.id ?? '', view.name, next);
  };

  if (page.isError && !page.data) return <ErrorState error={page.error} retry={() => void page.refetch()} />;
  const heading = label(view.label ?? entity.pluralLabel ?? entity.label, entity.name);
  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between', flexWrap: 'wrap', marginBottom: 12 }}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {heading}
        </Typography.Title>
        <Space wrap>
          {saved.length > 0 && (
            <Dropdown
              menu={{
                items: saved.map((s) => ({ key: s.name, label: s.name })),
                onClick: ({ key }) => {
                  const s = saved.find((x) => x.name === key);
                  if (s) {
                    setFilters(s.filters);
                    setSort(s.sort);
                    restart();
                  }
                },
              }}
            >
              <Button>{t('list.savedViews')}</Button>
            </Dropdown>
          )}
          <Button onClick={saveView}>{t('list.saveView')}</Button>
          <Dropdown menu={{ items: exportItems, onClick: ({ key, domEvent }) => followUnlessLink(domEvent.target, exportLink(key as ExportFormat)) }} disabled={!page.data?.total} trigger={['click']}>
            <Button icon={<DownloadOutlined />} title={t('list.exportHint', { count: page.data?.total ?? 0 })} data-testid="list-export">
              {t('list.export')}
            </Button>
          </Dropdown>
          {can('create') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate(`/e/${entity.name}/new`)}>
              {t('list.new')}
            </Button>
          )}
        </Space>
      </Space>
      <div style={{ marginBottom: 12 }}>
        <FilterBar key={JSON.stringify(filters).length === 2 ? 'empty' : 'set'} entity={entity} columns={columns} state={filters} onChange={changeFilters} />
      </div>
      {selected.length > 0 && (
        <BulkActions
          entity={entity}
          rows={rows.filter((r) => selected.includes(r.id))}
          onDone={(refused) => {
            setSelected(refused);
            void client.invalidateQueries({ queryKey: ['records', revision, entity.name] });
          }}
        />
      )}
      {phone ? (
        <>
          <SortSelect
            options={sortOptions}
            value={sort}
            onChange={(next) => {
              setSort(next);
              restart();
            }}
          />
          <RecordCards
            name={heading}
            rows={rows}
            title={(row) => recordLink(row, titleColumn)}
            lines={cardLines}
            loading={page.isFetching}
            selection={selecting ? { selected, toggle: toggleRow, setAll: (on) => setSelected(on ? rows.map((r) => r.id) : []) } : undefined}
          />
        </>
      ) : (
        // Scrolls sideways on narrow screens (antd's own scroll.x adds an aria-hidden row axe flags).
        <div style={{ overflowX: 'auto' }}>
          <Table<RecordValues>
            rowKey="id"
            size="middle"
            columns={tableColumns}
            dataSource={rows}
            loading={page.isFetching}
            pagination={false}
            rowSelection={
              selecting
                ? {
                    selectedRowKeys: selected,
                    onChange: setSelected,
                    preserveSelectedRowKeys: false,
                    // antd names the header's box "Select all" in every language.
                    getTitleCheckboxProps: () => ({ 'aria-label': t('listCards.selectAll') }),
                    renderCell: (checked, _row, index) => (
                      <RowCheckbox
                        checked={checked}
                        index={index}
                        label={t(checked ? 'rowSelect.selected' : 'rowSelect.select', { n: index + 1 })}
                        onToggle={toggleRow}
                      />
                    ),
                  }
                : undefined
            }
            onChange={(_p, _f, sorter) => {
              const s = Array.isArray(sorter) ? sorter[0] : sorter;
              const key = String(s?.columnKey ?? '');
              setSort(s?.order ? `${s.order === 'descend' ? '-' : ''}${key}` : (view.sort ?? ''));
              restart();
            }}
          />
        </div>
      )}
      <Space style={{ marginTop: 12, justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Text aria-live="polite" data-testid="list-total">
          {t('list.total', { count: page.data?.total ?? 0, page: cursors.length })}
        </Typography.Text>
        <Space>
          <Button disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
            {t('list.previous')}
          </Button>
          <Button disabled={!page.data?.nextCursor} onClick={() => setCursors([...cursors, page.data?.nextCursor])}>
            {t('list.next')}
          </Button>
        </Space>
      </Space>
    </div>
  );
}
