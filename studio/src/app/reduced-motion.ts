// Honours the operating system's "reduce motion" setting (WCAG 2.3.3): antd's dropdown, modal and
// collapse animations are switched off through its motion token, and the stylesheet below stops
// the CSS transitions antd's prebuilt styles carry. Those who keep motion on see no difference.

import { useSyncExternalStore } from 'react';
import './reduced-motion.css';

const query = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-reduced-motion: reduce)') : undefined;

function subscribe(onChange: () => void): () => void {
  query?.addEventListener('change', onChange);
  return () => query?.removeEventListener('change', onChange);
}

export function usePrefersReducedMotion(): boolean {
  return useSyncExternalStore(subscribe, () => query?.matches ?? false, () => false);
}
