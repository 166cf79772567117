// Whether the user asked their system for less motion (prefers-reduced-motion: reduce). The studio
// then turns antd's motion off: drawers, menus and dropdowns appear and leave at once, and a click
// sends no wave across its button (WCAG 2.3.3).

import { useSyncExternalStore } from 'react';

const query = typeof window !== 'undefined' && typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-reduced-motion: reduce)') : undefined;

function subscribe(onChange: () => void): () => void {
  query?.addEventListener('change', onChange);
  return () => query?.removeEventListener('change', onChange);
}

export function useReducedMotion(): boolean {
  return useSyncExternalStore(subscribe, () => query?.matches ?? false, () => false);
}
