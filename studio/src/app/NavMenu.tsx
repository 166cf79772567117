// The menu built from what the caller may read: per installed module its entities (to their
// default list), views and dashboards, labelled in the UI language.

import { useQueryClient } from '@tanstack/react-query';
import { Menu, type MenuProps } from 'antd';
import type { TFunction } from 'i18next';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { adminSections } from '../admin/admin-sections.ts';
import { useMetaKind, useNavigation, type DashboardDef, type EntityDef, type Navigation, type ViewDef } from '../api/meta.ts';
import { localize, type Label, type Language } from '../i18n/i18n.ts';
import { fetchFirstPage } from '../lists/list-query.ts';
import { useImportTargets } from '../api/imports.ts';
import { useSession } from './session.tsx';
import { useLanguage } from './use-language.ts';

interface MenuSources {
  nav: Navigation | undefined;
  entities: Map<string, EntityDef> | undefined;
  views: Map<string, ViewDef> | undefined;
  dashboards: Map<string, DashboardDef> | undefined;
  language: Language;
  t: TFunction;
  admin: boolean;
  /** The caller may create records of some entity: the import wizard is offered. */
  canImport: boolean;
}

/** The data quality page is offered to whoever may read some entity (the report counts only readable records). */
const readsSomeEntity = (nav: Navigation | undefined) => Object.values(nav?.access ?? {}).some((actions) => actions.includes('read'));

function menuItems({ nav, entities, views, dashboards, language, t, admin, canImport }: MenuSources): NonNullable<MenuProps['items']> {
  const label = (l: Label | undefined, fallback: string) => localize(l, language, fallback);
  // An entity's entry opens its default list view: that view is not listed again beside it.
  const listed = new Set((nav?.groups ?? []).flatMap((g) => g.entities));
  const isEntityDefault = (name: string) => {
    const v = views?.get(name);
    return Boolean(v?.default && (v.type ?? 'list') === 'list' && listed.has(v.entity));
  };
  const items: NonNullable<MenuProps['items']> = (nav?.groups ?? []).map((group) => {
    const entries: { key: string; label: string; kind: 'list' | 'board' | 'dashboard' }[] = [
      ...group.entities.map((name) => {
        const e = entities?.get(name);
        return { key: `/e/${name}`, label: label(e?.pluralLabel ?? e?.label, name), kind: 'list' as const };
      }),
      ...group.views.filter((name) => !isEntityDefault(name)).map((name) => {
        const v = views?.get(name);
        return { key: `/v/${name}`, label: label(v?.label, name), kind: v?.type === 'kanban' ? ('board' as const) : ('list' as const) };
      }),
      ...group.dashboards.map((name) => {
        const d = dashboards?.get(name);
        return { key: `/d/${name}`, label: label((d?.['title'] as never) ?? d?.label, name), kind: 'dashboard' as const };
      }),
    ];
    // An entry labelled like another entry of its module or like the module itself (a board and a
    // dashboard both called "Service desk" in a module of that name) says what it is; a list keeps
    // its plain label unless only the module shares it.
    const groupLabel = label(group.label, group.key === 'other' ? t('nav.other') : group.key);
    const seen = new Map<string, number>();
    for (const e of entries) seen.set(e.label, (seen.get(e.label) ?? 0) + 1);
    const entryLabel = (e: (typeof entries)[number]): string => {
      const twin = (seen.get(e.label) ?? 0) > 1;
      if (e.kind !== 'list' && (twin || e.label === groupLabel)) return t(`nav.${e.kind}Of`, { label: e.label });
      if (e.kind === 'list' && !twin && e.label === groupLabel) return t('navEntry.listOf', { label: e.label });
      return e.label;
    };
    return {
      key: `group:${group.key}`,
      type: 'group' as const,
      label: groupLabel,
      children: entries.map((e) => ({ key: e.key, label: entryLabel(e) })),
    };
  });
  // Administrators also get the studio — its home and every designer — first, where they look for
  // it (at the bottom it sat below every module's entries, out of sight on a long menu).
  if (admin) {
    items.unshift({
      key: 'group:admin',
      type: 'group' as const,
      label: t('admin.area'),
      children: [
        { key: '/admin', label: t('admin.home') },
        ...adminSections.map((section) => ({ key: `/admin/${section.path}`, label: t(section.titleKey) })),
      ],
    });
  }
  // Importing records is open to whoever may create records of some entity (the server's rule); the
  // data quality page to whoever reads one — admins and data stewards find both under "Data".
  const data = [
    ...(canImport ? [{ key: '/import', label: t('importWizard.nav') }] : []),
    ...(readsSomeEntity(nav) ? [{ key: '/data-quality', label: t('dataQuality.nav') }] : []),
  ];
  if (data.length > 0) items.push({ key: 'group:data', type: 'group' as const, label: t('importWizard.navGroup'), children: data });
  return items;
}

export function NavMenu({ onNavigate }: { onNavigate?: () => void }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const admin = Boolean(useSession().me?.admin);
  const navigate = useNavigate();
  const location = useLocation();
  const nav = useNavigation();
  const entities = useMetaKind('entities');
  const views = useMetaKind('views');
  const dashboards = useMetaKind('dashboards');
  const client = useQueryClient();
  const canImport = (useImportTargets().data?.length ?? 0) > 0;

  // Built again when what it shows changes, not on every navigation (the menu re-renders on each).
  const items = useMemo(
    () => menuItems({ nav: nav.data, entities: entities.data, views: views.data, dashboards: dashboards.data, language, t, admin, canImport }),
    [nav.data, entities.data, views.data, dashboards.data, language, t, admin, canImport],
  );
  // Every page under /data-quality (an entity's report, its duplicates) belongs to its one entry.
  const selected = location.pathname.startsWith('/data-quality') ? '/data-quality' : location.pathname.split('/').slice(0, 3).join('/');
  return (
    <nav aria-label={t('app.mainNav')}>
      <Menu
        mode="inline"
        items={items}
        selectedKeys={[selected]}
        onClick={({ key }) => {
          // A list's first page is asked for now, beside the page's render (lists/list-query.ts).
          const [, kind, name] = key.split('/');
          if (name && (kind === 'e' || kind === 'v')) fetchFirstPage(client, nav.data?.revision ?? 0, kind === 'e' ? { entity: name } : { view: name });
          void navigate(key);
          onNavigate?.();
        }}
        style={{ borderInlineEnd: 'none' }}
      />
      {nav.data && nav.data.groups.length === 0 && <p style={{ padding: 16 }}>{t('nav.empty')}</p>}
    </nav>
  );
}
