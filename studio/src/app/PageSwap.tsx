// The signed-in frame's page area (what <Outlet /> showed), with the page being left torn down
// after the next one is shown rather than before. Unmounting a big page is not free — the
// 200-field record page's effect clean-ups (antd's media-query listeners, the inputs' layout
// effects) cost as much as rendering a 50-row list — and React does it in the same commit that
// inserts the next page. Here the page left stays mounted, hidden (display: none, out of the
// accessibility tree) and frozen on the location it had (its location-reading hooks do not
// render again for the new one), until the new page has its data and the browser is idle.
// Navigations within one route (one record to another) update the page in place, as before.

import { useQueryClient } from '@tanstack/react-query';
import { startTransition, useContext, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { UNSAFE_LocationContext, UNSAFE_RouteContext, useMatches, useOutlet } from 'react-router';

interface Shown {
  /** The id of the route rendered in this outlet: a new one means a new page. */
  key: string;
  element: React.ReactNode;
  location: React.ContextType<typeof UNSAFE_LocationContext>;
}

/** How long a page left may wait for the next one's requests before it is dropped anyway. */
const maxKeepMs = 2_000;

export function PageSwap() {
  const element = useOutlet();
  const location = useContext(UNSAFE_LocationContext);
  const depth = useContext(UNSAFE_RouteContext).matches.length;
  const key = useMatches()[depth]?.id ?? 'none';
  const live: Shown = { key, element, location };

  // The page shown at the last commit (read in render: the render that changes the route keeps it);
  // when the route changes it becomes the page left.
  const lastShown = useRef<Shown>(live);
  const [left, setLeft] = useState<Shown | null>(null);
  const previous = lastShown.current;
  if (previous.key !== key && left !== previous) setLeft(previous);
  useLayoutEffect(() => {
    lastShown.current = live;
  });

  const client = useQueryClient();
  const leftKey = left && left.key !== key ? left.key : undefined;
  useEffect(() => {
    if (!leftKey) return;
    let idle: number | undefined;
    const drop = () => startTransition(() => setLeft(null));
    const whenIdle = () => {
      if (idle !== undefined || client.isFetching() > 0) return;
      idle = window.requestIdleCallback(drop, { timeout: 500 });
    };
    const unsubscribe = client.getQueryCache().subscribe(whenIdle);
    const cap = window.setTimeout(drop, maxKeepMs);
    whenIdle();
    return () => {
      unsubscribe();
      window.clearTimeout(cap);
      if (idle !== undefined) window.cancelIdleCallback(idle);
    };
  }, [leftKey, client]);

  const pages = leftKey && left ? [left, live] : [live];
  return pages.map((page) => (
    <div key={page.key} hidden={page !== live} style={page === live ? { display: 'contents' } : undefined}>
      <UNSAFE_LocationContext.Provider value={page.location}>{page.element}</UNSAFE_LocationContext.Provider>
    </div>
  ));
}
