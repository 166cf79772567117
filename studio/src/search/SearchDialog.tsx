// Global search (Ctrl/⌘-K or the header's button): the title field of every entity the user may
// read and the fields its list searches (searched-fields.ts), as they type; a hit found by another
// field says which, and what it holds. Arrow keys move through the hits, Enter opens one.

import { SearchOutlined } from '../app/icons.tsx';
import { useQuery } from '@tanstack/react-query';
import { Button, Empty, Input, Modal, Spin, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useEntities, useMetaKind } from '../api/meta.ts';
import { searchRecords } from '../api/search.ts';
import { searchTargets } from './searched-fields.ts';
import { useLanguage } from '../app/use-language.ts';

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export function SearchButton({ wide }: { wide: boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  // Where the focus was when the dialog opened (the button, or wherever Ctrl-K was pressed): it goes
  // back there when the dialog is dismissed (the dialog unmounts at once, before antd could restore it).
  const opener = useRef<HTMLElement | null>(null);
  const show = useCallback(() => {
    opener.current = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
    setOpen(true);
  }, []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        show();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [show]);
  const close = (dismissed: boolean) => {
    setOpen(false);
    if (!dismissed) return;
    const back = opener.current?.isConnected ? opener.current : button.current;
    setTimeout(() => back?.focus(), 0);
  };
  return (
    <>
      <Button ref={button} icon={<SearchOutlined />} onClick={show} aria-label={t('search.open')} aria-keyshortcuts="Control+K Meta+K">
        {wide && <Typography.Text type="secondary">{t('search.hint')}</Typography.Text>}
      </Button>
      {open && <SearchDialog onClose={close} />}
    </>
  );
}

/** Up to ~60 characters of `value` around the first place `q` is found in it. */
function snippet(value: string, q: string): string {
  if (value.length <= 60) return value;
  const at = Math.max(0, value.toLowerCase().indexOf(q.toLowerCase()) - 20);
  return `${at > 0 ? '…' : ''}${value.slice(at, at + 60)}${at + 60 < value.length ? '…' : ''}`;
}

/** `onClose(true)`: dismissed (the focus goes back); `onClose(false)`: a hit was opened. */
function SearchDialog({ onClose }: { onClose: (dismissed: boolean) => void }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const navigate = useNavigate();
  const entities = useEntities();
  const [text, setText] = useState('');
  const [active, setActive] = useState(0);
  const q = useDebounced(text.trim(), 200);
  const views = useMetaKind('views');
  const targets = useMemo(() => (entities.data && views.data ? searchTargets(entities.data, views.data) : undefined), [entities.data, views.data]);
  const hits = useQuery({ queryKey: ['search', q, targets], queryFn: () => searchRecords(targets ?? [], q), enabled: q.length > 0 && targets !== undefined });
  const items = q.length > 0 ? (hits.data ?? []) : [];
  const go = (i: number) => {
    const hit = items[i];
    if (!hit) return;
    onClose(false);
    void navigate(`/e/${hit.entity}/${hit.id}`);
  };
  return (
    <Modal open title={t('search.title')} footer={null} onCancel={() => onClose(true)} destroyOnHidden>
      <Input
        autoFocus
        role="combobox"
        aria-expanded={items.length > 0}
        aria-controls="search-results"
        aria-activedescendant={items[active] ? `search-hit-${active}` : undefined}
        aria-label={t('search.label')}
        placeholder={t('search.placeholder')}
        prefix={<SearchOutlined />}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, items.length - 1));
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
          else if (e.key === 'Enter') go(active);
          else return;
          e.preventDefault();
        }}
      />
      <div style={{ marginTop: 12, minHeight: 60 }}>
        {hits.isFetching && <Spin size="small" />}
        {q.length > 0 && !hits.isFetching && items.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('search.none')} />}
        <ul id="search-results" role="listbox" aria-label={t('search.results')} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {items.map((hit, i) => (
            <li
              key={`${hit.entity}/${hit.id}`}
              id={`search-hit-${i}`}
              role="option"
              aria-selected={i === active}
              onMouseEnter={() => setActive(i)}
              onClick={() => go(i)}
              style={{ padding: '6px 8px', borderRadius: 6, cursor: 'pointer', background: i === active ? '#e6efff' : undefined }}
            >
              <div>{hit.title}</div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {label(entities.data?.get(hit.entity)?.label, hit.entity)}
                {hit.match && ` · ${t('search.foundIn', { field: label(entities.data?.get(hit.entity)?.fields[hit.match.field]?.label, hit.match.field), value: snippet(hit.match.value, q) })}`}
              </Typography.Text>
            </li>
          ))}
        </ul>
      </div>
    </Modal>
  );
}
