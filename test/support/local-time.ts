// What the studio should show for a date-time, built from the browser's own Date getters (its time
// zone) and written out by hand — not by the studio's formatting module, which the tests check.

import type { Page } from 'playwright-core';

/** An instant as the studio writes it in `language`, in the page's time zone: "4 Dec 2026, 14:05", "2026年12月4日 14:05". */
export function localDateTime(page: Page, iso: string, language: 'en' | 'zh'): Promise<string> {
  return page.evaluate(
    ({ iso, language }) => {
      const d = new Date(iso);
      const pad = (n: number) => String(n).padStart(2, '0');
      const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
      // British English abbreviates September as "Sept".
      const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'];
      return language === 'zh' ? `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日 ${time}` : `${d.getDate()} ${months[d.getMonth()]} ${d.getFullYear()}, ${time}`;
    },
    { iso, language },
  );
}
