// How recent something is ("3 minutes ago", "3分钟前"), with its date and time as the title: for the
// screens that show recency (the inbox, the bell). Everything else shows the date and time itself.

import { useEffect, useState } from 'react';
import { formatDateTime, formatRelative } from '../i18n/format.ts';
import { useLanguage } from './use-language.ts';

/** The current time, renewed every half minute while mounted: "2 minutes ago" does not stay put. */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** The recency of `at` and, as its title, its date and time. */
export function useRecency(): (at: string) => { text: string; title: string } {
  const { language } = useLanguage();
  const now = useNow();
  return (at) => ({ text: formatRelative(at, language, now), title: formatDateTime(at, language) });
}

export function RecentTime({ at }: { at: string }) {
  const recency = useRecency()(at);
  return (
    <time dateTime={at} title={recency.title}>
      {recency.text}
    </time>
  );
}
