// The pages a signed-in user opens first, shared by the route table (App.tsx) and the signed-in
// frame, which loads them while the browser is idle (AppLayout.tsx).

import { lazyPage } from './lazy-page.tsx';

export const ListPage = lazyPage(() => import('../lists/ListPage.tsx'));
export const RecordPage = lazyPage(() => import('../records/RecordPage.tsx'));
