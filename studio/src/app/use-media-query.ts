// Whether a CSS media query matches, followed as it changes (a turned phone, a resized window, a
// system setting switched). The one matchMedia subscription the studio's hooks build on.

import { useSyncExternalStore } from 'react';

const subscribers = new Map<string, (notify: () => void) => () => void>();

/** One subscribe function per query: useSyncExternalStore resubscribes whenever it gets a new one. */
function subscriberFor(query: string): (notify: () => void) => () => void {
  let subscribe = subscribers.get(query);
  if (!subscribe) {
    subscribe = (notify) => {
      const media = window.matchMedia(query);
      media.addEventListener('change', notify);
      return () => media.removeEventListener('change', notify);
    };
    subscribers.set(query, subscribe);
  }
  return subscribe;
}

export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(subscriberFor(query), () => window.matchMedia(query).matches, () => false);
}
