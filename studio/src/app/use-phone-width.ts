// Whether the window is a phone's width (under 600 px), followed as it changes. antd's breakpoints
// jump from 576 to 768 px; cards (the record list's, ResponsiveTable's) start at 600.

import { useMediaQuery } from './use-media-query.ts';

export const usePhoneWidth = (): boolean => useMediaQuery('(max-width: 599.98px)');
