// Type-ahead selects over what the server searches: records of a target entity by its title field
// (lookups, many-to-many links, list filters — only records the caller may read can be found) and
// users from the people directory (user fields). One Select setup for all of them.

import { Select } from '../app/localized-controls.tsx';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { listRecords } from '../api/records.ts';
import { useEntities, useRevision } from '../api/meta.ts';
import { searchPeople } from '../api/people.ts';
import { titlePath, useLookupTitles, withTitleFallback } from './lookup-titles.ts';
import { personLabel, usePeopleNames } from './people.ts';

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface CommonProps {
  id?: string;
  disabled?: boolean;
  ariaLabel?: string;
  placeholder?: string;
  style?: React.CSSProperties;
  onBlur?: () => void;
}
interface SingleValue {
  multiple?: false;
  value?: string | undefined;
  onChange: (value: string | undefined) => void;
}
interface MultipleValue {
  multiple: true;
  value: readonly string[];
  onChange: (value: string[]) => void;
}
type ValueProps = SingleValue | MultipleValue;

type Option = { value: string; label: string };
interface Searched {
  options: Option[];
  setSearch: (search: string) => void;
  loading: boolean;
}

const selectedIds = (props: ValueProps): string[] => (props.multiple ? [...props.value] : props.value ? [props.value] : []);

/** Puts the selected values in front when the search does not list them, labelled as `titles` knows them. */
function withSelected(found: Option[], selected: readonly string[], titles: ReadonlyMap<string, string> | undefined): Option[] {
  const options = [...found];
  for (const id of [...selected].reverse()) if (!options.some((o) => o.value === id)) options.unshift({ value: id, label: titles?.get(id) ?? id });
  return options;
}

function SearchSelect(props: CommonProps & ValueProps & { searched: Searched }) {
  const { searched, id, disabled, ariaLabel, placeholder, style, onBlur } = props;
  const shared = {
    id,
    showSearch: { filterOption: false as const, onSearch: searched.setSearch },
    allowClear: true,
    options: searched.options,
    loading: searched.loading,
    disabled,
    'aria-label': ariaLabel,
    placeholder,
    style: { width: '100%', ...style },
    onBlur,
    notFoundContent: null,
  };
  if (props.multiple) {
    const { onChange } = props;
    return <Select {...shared} mode="multiple" value={[...props.value]} onChange={(v: string[]) => onChange(v)} />;
  }
  const { onChange } = props;
  return <Select {...shared} value={props.value} onChange={(v: string | undefined) => onChange(v ?? undefined)} />;
}

/**
 * A lookup field with a filter: the server narrows the search by it, bound to the edited record's
 * values (`record`, JSON text of the fields the filter reads).
 */
export interface LookupNarrowing {
  lookupFor: string;
  record: string;
}

/** The target's records matching the search (first 20 by title), narrowed by the field's filter. */
function useRecordSearch(target: string, selected: readonly string[], narrowing?: LookupNarrowing): Searched {
  const [search, setSearch] = useState('');
  const revision = useRevision();
  const entities = useEntities();
  const titleField = entities.data?.get(target)?.titleField ?? 'id';
  // A title that is a lookup is searched, sorted and shown as the linked record's title.
  const path = titlePath(entities.data, target, titleField);
  const found = useQuery({
    queryKey: ['lookup', revision, target, path, search, narrowing?.lookupFor, narrowing?.record],
    staleTime: 10_000,
    enabled: Boolean(entities.data?.get(target)),
    queryFn: () =>
      withTitleFallback({ field: titleField, path }, async (by) => {
        const page = await listRecords(target, { filter: search ? { [by]: { $regex: escapeRegex(search.slice(0, 60)), $options: 'i' } } : {}, fields: [...new Set(['id', titleField, by])], limit: 20, sort: by, ...narrowedBy(narrowing) });
        return { items: page.items, by };
      }),
  });
  const current = useLookupTitles(target, [...selected]);
  const options = (found.data?.items ?? []).map((r) => ({ value: r.id, label: String(r[found.data!.by] ?? r[titleField] ?? r.id) }));
  return { options: withSelected(options, selected, current.data), setSearch, loading: found.isFetching };
}

const narrowedBy = (narrowing: LookupNarrowing | undefined) => (narrowing ? { lookupFor: narrowing.lookupFor, record: JSON.parse(narrowing.record) as Record<string, unknown> } : {});

/**
 * When the values the filter reads change (another account chosen), the chosen records the filter
 * no longer lets through are dropped (`onUnfit`, given the ids that still fit); the values the form
 * opened with are left alone.
 */
function useDropUnfit(target: string, value: readonly string[], narrowing: LookupNarrowing | undefined, onUnfit: (fitting: string[]) => void) {
  const seen = useRef(narrowing?.record);
  const latest = useRef({ value, onUnfit });
  useLayoutEffect(() => {
    latest.current = { value, onUnfit };
  });
  useEffect(() => {
    const before = seen.current;
    seen.current = narrowing?.record;
    const chosen = latest.current.value;
    if (!narrowing || before === narrowing.record || chosen.length === 0) return;
    let live = true;
    void listRecords(target, { filter: { id: { $in: [...chosen] } }, fields: ['id'], limit: chosen.length, ...narrowedBy(narrowing) }).then((page) => {
      const fitting = new Set(page.items.map((r) => r.id));
      // Only if the choice is still the one checked (compared by content: a list is a new array each render).
      if (live && fitting.size < chosen.length && latest.current.value.join() === chosen.join()) latest.current.onUnfit(chosen.filter((id) => fitting.has(id)));
    }).catch(() => {
      // Only a courtesy: a check that could not run leaves the choice, and the save's own check decides.
    });
    return () => {
      live = false;
    };
  }, [target, narrowing]);
}

export type LookupSelectProps = CommonProps & ValueProps & { target: string; narrowing?: LookupNarrowing; onUnfit?: (fitting: string[]) => void };

/** One record of `target` (a lookup), or several with `multiple` (a many-to-many field's links). */
export function LookupSelect(props: LookupSelectProps) {
  const selected = selectedIds(props);
  const searched = useRecordSearch(props.target, selected, props.narrowing);
  useDropUnfit(props.target, selected, props.narrowing, props.onUnfit ?? (() => undefined));
  return <SearchSelect {...props} searched={searched} />;
}

/** Active users matching the search by name or e-mail (a `user` field). */
export function UserSelect(props: CommonProps & ValueProps) {
  const [search, setSearch] = useState('');
  const selected = selectedIds(props);
  const found = useQuery({ queryKey: ['people-search', search], staleTime: 10_000, queryFn: () => searchPeople(search) });
  const names = usePeopleNames(selected);
  const options = (found.data ?? []).map((p) => ({ value: p.id, label: personLabel(p) }));
  return <SearchSelect {...props} searched={{ options: withSelected(options, selected, names.data), setSearch, loading: found.isFetching }} />;
}
