// A page loaded lazily that can be loaded ahead of its first navigation. React.lazy alone suspends
// on its first render in a document even when its module is already loaded (import() answers in a
// later task), so the first visit to a page kind committed its Suspense fallback first — and React
// then holds the page itself back until 300 ms after that fallback was shown (its throttle on
// revealing suspended content). A page whose module `preload()` has brought in renders at once.

import { lazy, useState, type ComponentType } from 'react';

export interface PreloadablePage<P extends object> {
  (props: P): React.ReactNode;
  /** Loads the page's module (once); later renders need no Suspense fallback. */
  preload: () => Promise<unknown>;
}

export function lazyPage<P extends object>(load: () => Promise<{ default: ComponentType<P> }>): PreloadablePage<P> {
  let loaded: ComponentType<P> | undefined;
  let pending: Promise<unknown> | undefined;
  const preload = () =>
    (pending ??= load().then(
      (module) => {
        loaded = module.default;
      },
      (error: unknown) => {
        // A failed load (offline, a deploy replaced the chunk) may be tried again by the next render.
        pending = undefined;
        throw error;
      },
    ));
  const Suspending = lazy(async () => {
    await preload();
    return { default: loaded! };
  });
  function Page(props: P) {
    // Fixed for the page's life: switching from the suspending form to the loaded one would remount it.
    const [Component] = useState<ComponentType<P>>(() => loaded ?? Suspending);
    return <Component {...props} />;
  }
  return Object.assign(Page, { preload });
}
