// Whether the user asked their system for less motion (prefers-reduced-motion: reduce). The studio
// then turns antd's motion off: drawers, menus and dropdowns appear and leave at once, and a click
// sends no wave across its button (WCAG 2.3.3).

import { useMediaQuery } from './use-media-query.ts';

export const useReducedMotion = (): boolean => useMediaQuery('(prefers-reduced-motion: reduce)');
