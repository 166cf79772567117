// The signed-in frame: a header (menu button on narrow screens, search, notifications, language,
// account) and the navigation beside the page; on phones the navigation is a drawer.

import { AuditOutlined, MenuOutlined, UserOutlined } from './icons.tsx';
import { useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Badge, Button, Drawer, Dropdown, Grid, Layout, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { signOut } from '../api/auth.ts';
import { useApprovals } from '../inbox/inbox-queries.ts';
import { NotificationBell } from '../inbox/NotificationBell.tsx';
import { SearchButton } from '../search/SearchDialog.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { prefetchMetadata, useNavigation } from '../api/meta.ts';
import '../i18n/features.ts';
import type { Language } from '../i18n/i18n.ts';
import { NavMenu } from './NavMenu.tsx';
import { PageLoading } from './PageLoading.tsx';
import { PageSwap } from './PageSwap.tsx';
import { ListPage, RecordPage } from './pages.ts';
import { useSession, useSwitchUserLanguage } from './session.tsx';
import './layout.css';

/** The pages a signed-in user opens first, fetched and evaluated while the browser is idle: the
 * first click on a list or a record then waits for data only, not for code (nor for a Suspense
 * fallback: see lazy-page.tsx). */
function usePreloadedPages() {
  useEffect(() => {
    const load = () => {
      void ListPage.preload().catch(() => undefined);
      void RecordPage.preload().catch(() => undefined);
    };
    if ('requestIdleCallback' in window) {
      const handle = window.requestIdleCallback(load, { timeout: 3000 });
      return () => window.cancelIdleCallback(handle);
    }
    const timer = setTimeout(load, 500);
    return () => clearTimeout(timer);
  }, []);
}

/** The language switch of a signed-in user: the choice is saved with the user (a failed save says so). */
function UserLanguageSwitch() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const switchUserLanguage = useSwitchUserLanguage();
  return <LanguageSwitch onSwitch={(language: Language) => void switchUserLanguage(language).catch(() => message.error(t('app.languageNotSaved')))} />;
}

export default function AppLayout() {
  usePreloadedPages();
  // Every metadata kind is asked beside the navigation, not after it and not page by page: a list
  // or record page then waits for its records only.
  const client = useQueryClient();
  useEffect(() => prefetchMetadata(client), [client]);
  // Pages key their records by the metadata revision: they start once it is known, so a page
  // load never asks twice (revision 0, then the real one).
  const navigation = useNavigation();
  const { t } = useTranslation();
  const { me, refresh } = useSession();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const wide = screens.lg ?? true;
  const [drawer, setDrawer] = useState(false);
  const approvals = useApprovals();
  const waiting = approvals.data?.length ?? 0;

  const shownName = me?.user.name && me.user.name !== me.user.email ? me.user.name : undefined;
  const userMenuName = shownName ? t('nav.userMenuNamed', { name: shownName, email: me?.user.email ?? '' }) : t('nav.userMenu', { email: me?.user.email ?? '' });
  const account = {
    items: [
      { key: 'password', label: t('auth.changePassword') },
      { key: 'signOut', label: t('auth.signOut') },
    ],
    onClick: async ({ key }: { key: string }) => {
      if (key === 'password') void navigate('/account/password');
      if (key === 'signOut') {
        await signOut().catch(() => undefined);
        await refresh();
        void navigate('/');
      }
    },
  };

  // antd's <App> (fonts, and the message, modal and notification hooks every page uses) wraps the
  // signed-in frame, not the root: the sign-in page's scripts stay without them.
  return (
    <AntApp>
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 12, borderBottom: '1px solid #e5e7eb', position: 'sticky', top: 0, zIndex: 10 }}>
        {!wide && <Button icon={<MenuOutlined />} aria-label={t('app.menu')} onClick={() => setDrawer(true)} />}
        <Link to="/" style={{ fontWeight: 600, fontSize: 18, color: 'inherit' }}>
          {t('app.name')}
        </Link>
        <div style={{ flex: 1 }} />
        <Space size="small">
          <SearchButton wide={wide} />
          <Badge count={waiting} size="small" offset={[-4, 4]}>
            <Button icon={<AuditOutlined />} aria-label={t('inbox.link', { count: waiting })} onClick={() => void navigate('/inbox')} data-testid="inbox-link">
              {wide && t('nav.inbox')}
            </Button>
          </Badge>
          <NotificationBell />
          <UserLanguageSwitch />
          <Dropdown menu={account} trigger={['click']}>
            {/* Named for what it is, not "Account": in a CRM that reads as the customer entity. */}
            <Button icon={<UserOutlined />} aria-label={userMenuName}>
              {wide && <Typography.Text>{me?.user.name ?? me?.user.email}</Typography.Text>}
            </Button>
          </Dropdown>
        </Space>
      </Layout.Header>
      <Layout>
        {wide && (
          <Layout.Sider width={240} style={{ borderInlineEnd: '1px solid #e5e7eb', overflow: 'auto' }}>
            <NavMenu />
          </Layout.Sider>
        )}
        <Drawer open={!wide && drawer} onClose={() => setDrawer(false)} placement="left" size={280} title={t('app.menu')}>
          <NavMenu onNavigate={() => setDrawer(false)} />
        </Drawer>
        <Layout.Content style={{ padding: wide ? 24 : 12, minWidth: 0 }}>
          {navigation.isPending ? <PageLoading /> : <PageSwap />}
        </Layout.Content>
      </Layout>
    </Layout>
    </AntApp>
  );
}
