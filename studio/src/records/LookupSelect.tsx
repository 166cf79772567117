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

export function LookupSelect({ target, value, onChange, id, disabled, ariaLabel, placeholder, style, onBlur }: LookupSelectProps) {
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
  const current = useLookupTitles(target, value ? [value] : []);
  const options = (found.data?.items ?? []).map((r) => ({ value: r.id, label: String(r[titleField] ?? r.id) }));
  if (value && !options.some((o) => o.value === value)) options.unshift({ value, label: current.data?.get(value) ?? value });
  return (
    <Select
      id={id}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      allowClear
      value={value}
      options={options}
      loading={found.isFetching}
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
