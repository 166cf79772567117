// Type-ahead search of records of the target entity by its title field: used by the lookup widget
// of forms and by list filters. Only records the caller may read can be found.

import { Select } from 'antd';
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { listRecords } from '../api/records.ts';
import { useEntities, useRevision } from '../api/meta.ts';
import { useLookupTitles } from './lookup-titles.ts';

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface LookupSelectProps {
  target: string;
  value?: string | undefined;
  onChange: (value: string | undefined) => void;
  id?: string;
  disabled?: boolean;
  ariaLabel?: string;
  placeholder?: string;
  style?: React.CSSProperties;
  onBlur?: () => void;
}

/** The search box's matches (first 20 by title), with the selected records' titles in front when the search does not list them. */
function useLookupOptions(target: string, selected: readonly string[]) {
  const [search, setSearch] = useState('');
  const revision = useRevision();
  const entities = useEntities();
  const titleField = entities.data?.get(target)?.titleField ?? 'id';
  const found = useQuery({
    queryKey: ['lookup', revision, target, titleField, search],
    staleTime: 10_000,
    enabled: Boolean(entities.data?.get(target)),
    queryFn: () => listRecords(target, { filter: search ? { [titleField]: { $regex: escapeRegex(search.slice(0, 60)), $options: 'i' } } : {}, fields: ['id', titleField], limit: 20, sort: titleField }),
  });
  const current = useLookupTitles(target, [...selected]);
  const options = (found.data?.items ?? []).map((r) => ({ value: r.id, label: String(r[titleField] ?? r.id) }));
  for (const id of [...selected].reverse()) if (!options.some((o) => o.value === id)) options.unshift({ value: id, label: current.data?.get(id) ?? id });
  return { options, setSearch, loading: found.isFetching };
}

export function LookupSelect({ target, value, onChange, id, disabled, ariaLabel, placeholder, style, onBlur }: LookupSelectProps) {
  const { options, setSearch, loading } = useLookupOptions(target, value ? [value] : []);
  return (
    <Select
      id={id}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      allowClear
      value={value}
      options={options}
      loading={loading}
      onChange={(v) => onChange(v ?? undefined)}
      disabled={disabled}
      aria-label={ariaLabel}
      placeholder={placeholder}
      style={{ width: '100%', ...style }}
      onBlur={onBlur}
      notFoundContent={null}
    />
  );
}

export interface LookupMultiSelectProps extends Omit<LookupSelectProps, 'value' | 'onChange'> {
  value: readonly string[];
  onChange: (value: string[]) => void;
}

/** Several records of the target entity (a many-to-many field's links), searched the same way. */
export function LookupMultiSelect({ target, value, onChange, id, disabled, ariaLabel, placeholder, style, onBlur }: LookupMultiSelectProps) {
  const { options, setSearch, loading } = useLookupOptions(target, value);
  return (
    <Select
      id={id}
      mode="multiple"
      showSearch={{ filterOption: false, onSearch: setSearch }}
      allowClear
      value={[...value]}
      options={options}
      loading={loading}
      onChange={(v: string[]) => onChange(v)}
      disabled={disabled}
      aria-label={ariaLabel}
      placeholder={placeholder}
      style={{ width: '100%', ...style }}
      onBlur={onBlur}
      notFoundContent={null}
    />
  );
}
