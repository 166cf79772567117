// Whether the window is a phone's width (under 600 px), followed as it changes (a turned phone, a
// resized window). antd's breakpoints jump from 576 to 768 px; the list's cards start at 600.

import { useSyncExternalStore } from 'react';

const phoneQuery = '(max-width: 599.98px)';

function subscribe(notify: () => void): () => void {
  const media = window.matchMedia(phoneQuery);
  media.addEventListener('change', notify);
  return () => media.removeEventListener('change', notify);
}

export function usePhoneWidth(): boolean {
  return useSyncExternalStore(subscribe, () => window.matchMedia(phoneQuery).matches);
}
