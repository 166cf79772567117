// The app: providers (query cache, antd theme and locale, router) and the route table. Pages load
// lazily so the sign-in page stays small; the public web form (/f/:name) needs no session.

import { StyleProvider } from '@ant-design/cssinjs';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Outlet, RouterProvider } from 'react-router';
import { shortMonths } from '../i18n/format.ts';
import { currentLanguage } from '../i18n/i18n.ts';
import { PageLoading } from './PageLoading.tsx';
import { RequireSession } from './RequireSession.tsx';
import { adminSections } from '../admin/admin-sections.ts';
import { ListPage, RecordPage } from './pages.ts';
import { createKeptStyleCache } from './style-cache.ts';
import { theme } from './theme.ts';
import { useReducedMotion } from './use-reduced-motion.ts';
import { useDecorativeLibraryIcons } from './library-icons.ts';

// The signed-in frame (menu, header, search, inbox) loads after sign-in: the sign-in page stays small.
const AppLayout = lazy(() => import('./AppLayout.tsx'));
// Loaded only when a route throws: antd's Result stays out of the sign-in page's scripts.
const RouteError = lazy(() => import('./RouteError.tsx'));
const SetupPage = lazy(() => import('../auth/SetupPage.tsx'));
const ChangePasswordPage = lazy(() => import('../auth/ChangePasswordPage.tsx'));
const HomePage = lazy(() => import('./HomePage.tsx'));
const InboxPage = lazy(() => import('../inbox/InboxPage.tsx'));
const DashboardPage = lazy(() => import('../dashboards/DashboardPage.tsx'));
const WebFormPage = lazy(() => import('../webforms/WebFormPage.tsx'));
const AdminLayout = lazy(() => import('../admin/AdminLayout.tsx'));
const ImportPage = lazy(() => import('../import/ImportPage.tsx'));
const DuplicatesPage = lazy(() => import('../quality/duplicates/DuplicatesPage.tsx'));
const AdminHome = lazy(() => import('../admin/AdminHome.tsx'));
const DataQualityPage = lazy(() => import('../quality/DataQualityPage.tsx'));

// Date pickers write English months as format.ts does ("4 Sept 2026", where dayjs writes "Sep"):
// a picker shows a date as the lists show it, and takes it typed so.
Object.assign(dayjs.Ls['en'] ?? {}, { monthsShort: shortMonths('en') });

const styleCache = createKeptStyleCache();
const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } });

function Lazy({ children }: { children: React.ReactNode }) {
  return <Suspense fallback={<PageLoading />}>{children}</Suspense>;
}

const router = createBrowserRouter([
  {
    element: <Outlet />,
    errorElement: <Lazy><RouteError /></Lazy>,
    HydrateFallback: PageLoading,
    children: [
      { path: '/setup/:token', element: <Lazy><SetupPage /></Lazy> },
      { path: '/f/:name', element: <Lazy><WebFormPage /></Lazy> },
      {
        element: <RequireSession><Lazy><AppLayout /></Lazy></RequireSession>,
        children: [
          { index: true, element: <Lazy><HomePage /></Lazy> },
          { path: 'account/password', element: <Lazy><ChangePasswordPage /></Lazy> },
          { path: 'v/:view', element: <Lazy><ListPage /></Lazy> },
          { path: 'e/:entity', element: <Lazy><ListPage /></Lazy> },
          { path: 'e/:entity/:id', element: <Lazy><RecordPage /></Lazy> },
          { path: 'inbox', element: <Lazy><InboxPage /></Lazy> },
          { path: 'd/:name', element: <Lazy><DashboardPage /></Lazy> },
          { path: 'import', element: <Lazy><ImportPage /></Lazy> },
          { path: 'data-quality', element: <Lazy><DataQualityPage /></Lazy> },
          { path: 'data-quality/:entity', element: <Lazy><DataQualityPage /></Lazy> },
          { path: 'data-quality/:entity/duplicates', element: <Lazy><DuplicatesPage /></Lazy> },
          {
            // The admin area: its pages come from adminSections (admin/admin-sections.ts).
            path: 'admin',
            element: <Lazy><AdminLayout /></Lazy>,
            children: [
              { index: true, element: <AdminHome /> },
              ...adminSections.flatMap((section) => section.routes.map(({ path, page: Page }) => ({ path, element: <Page /> }))),
            ],
          },
          { path: '*', element: <Lazy><HomePage notFound /></Lazy> },
        ],
      },
    ],
  },
]);

const stillTheme = { ...theme, token: { ...theme.token, motion: false } };

function Localized({ children }: { children: React.ReactNode }) {
  const { i18n } = useTranslation();
  const zh = i18n.language === 'zh';
  dayjs.locale(zh ? 'zh-cn' : 'en');
  const reducedMotion = useReducedMotion();
  return (
    <StyleProvider cache={styleCache}>
      {/* antd spaces out two-character Chinese button labels ("取 消") while longer ones ("保存视图") stay
          as written: one way of writing for every button. */}
      <ConfigProvider locale={zh ? zhCN : enUS} theme={reducedMotion ? stillTheme : theme} wave={{ disabled: reducedMotion }} button={{ autoInsertSpace: false }}>
        {children}
      </ConfigProvider>
    </StyleProvider>
  );
}

export function App() {
  void currentLanguage;
  useDecorativeLibraryIcons();
  return (
    <QueryClientProvider client={queryClient}>
      <Localized>
        <RouterProvider router={router} />
      </Localized>
    </QueryClientProvider>
  );
}
