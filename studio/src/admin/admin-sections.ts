// The admin area ("Studio" / "建模"): one entry per designer. The menu, the admin home page and the
// routes under /admin are all built from this one array — a new designer adds one entry here (its
// strings in its own <feature>/<name>.i18n.json under its own top-level key — not "admin", which
// admin.i18n.json owns and a second file would replace — its page loaded lazily) and nothing else.

// One import line per icon, so designers added in parallel do not edit the same line.
import { AppstoreOutlined } from '../app/icons.tsx';
import { DatabaseOutlined } from '../app/icons.tsx';
import { FormOutlined } from '../app/icons.tsx';
import { HistoryOutlined } from '../app/icons.tsx';
import { SwapOutlined } from '../app/icons.tsx';
import { ApartmentOutlined } from '../app/icons.tsx';
import { SafetyOutlined } from '../app/icons.tsx';
import { TableOutlined } from '../app/icons.tsx';
import { DashboardOutlined } from '../app/icons.tsx';
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

/** A page of a designer: its path under /admin (e.g. `templates/:name`) and its lazily loaded component. */
export interface AdminRoute {
  path: string;
  page: LazyExoticComponent<ComponentType>;
}

export interface AdminSection {
  /** Stable id; also the menu key's last part (`/admin/<key>`). */
  key: string;
  /** Where the menu entry and the home card lead (under /admin). */
  path: string;
  /** i18n keys (in the feature's own .i18n.json) of the entry's title and one-line description. */
  titleKey: string;
  descriptionKey: string;
  icon: ComponentType;
  /** Every page the designer has; the first one usually is `path` itself. */
  routes: AdminRoute[];
}

export const adminSections: AdminSection[] = [
  // ── entities, forms and views designers (entity, form, views) go here ──
  {
    key: 'entities',
    path: 'entities',
    titleKey: 'entityDesigner.title',
    descriptionKey: 'entityDesigner.sectionDescription',
    icon: DatabaseOutlined,
    routes: [
      { path: 'entities', page: lazy(() => import('./entities/EntityListPage.tsx')) },
      { path: 'entities/:name', page: lazy(() => import('./entities/EntityDesignerPage.tsx')) },
    ],
  },
  {
    key: 'forms',
    path: 'forms',
    titleKey: 'formDesigner.sectionTitle',
    descriptionKey: 'formDesigner.sectionDescription',
    icon: FormOutlined,
    routes: [
      { path: 'forms', page: lazy(() => import('./forms/FormListPage.tsx')) },
      { path: 'forms/:name', page: lazy(() => import('./forms/FormDesignerPage.tsx')) },
    ],
  },

  {
    key: 'views',
    path: 'views',
    titleKey: 'viewDesigner.sectionTitle',
    descriptionKey: 'viewDesigner.sectionDescription',
    icon: TableOutlined,
    routes: [
      { path: 'views', page: lazy(() => import('./views/ViewListPage.tsx')) },
      { path: 'views/:name', page: lazy(() => import('./views/ViewDesignerPage.tsx')) },
    ],
  },

  {
    key: 'dashboards',
    path: 'dashboards',
    titleKey: 'dashDesigner.sectionTitle',
    descriptionKey: 'dashDesigner.sectionDescription',
    icon: DashboardOutlined,
    routes: [
      { path: 'dashboards', page: lazy(() => import('./dashboards/DashboardListPage.tsx')) },
      { path: 'dashboards/:name', page: lazy(() => import('./dashboards/DashboardDesignerPage.tsx')) },
    ],
  },

  // ── workflows, roles and view-as go here ──
  {
    key: 'workflows',
    path: 'workflows',
    titleKey: 'wfDesigner.sectionTitle',
    descriptionKey: 'wfDesigner.sectionDescription',
    icon: ApartmentOutlined,
    routes: [
      { path: 'workflows', page: lazy(() => import('./workflows/WorkflowListPage.tsx')) },
      { path: 'workflows/:name', page: lazy(() => import('./workflows/WorkflowDesignerPage.tsx')) },
    ],
  },
  {
    key: 'roles',
    path: 'roles',
    titleKey: 'roles.sectionTitle',
    descriptionKey: 'roles.sectionDescription',
    icon: SafetyOutlined,
    routes: [{ path: 'roles', page: lazy(() => import('./roles/RolesPage.tsx')) }],
  },

  {
    key: 'templates',
    path: 'templates',
    titleKey: 'admin.templates.title',
    descriptionKey: 'admin.templates.description',
    icon: AppstoreOutlined,
    routes: [{ path: 'templates', page: lazy(() => import('../templates/TemplateGalleryPage.tsx')) }],
  },
  {
    key: 'history',
    path: 'history',
    titleKey: 'admin.history.title',
    descriptionKey: 'admin.history.description',
    icon: HistoryOutlined,
    routes: [{ path: 'history', page: lazy(() => import('../history/HistoryPage.tsx')) }],
  },
  {
    key: 'transfer',
    path: 'transfer',
    titleKey: 'admin.transfer.title',
    descriptionKey: 'admin.transfer.description',
    icon: SwapOutlined,
    routes: [{ path: 'transfer', page: lazy(() => import('../transfer/TransferPage.tsx')) }],
  },
];
