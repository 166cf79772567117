// Numbers inside the UI's strings ("{{count, number}} records", "导入了 {{count, number}} 行") are
// written by format.ts, as lists write them: i18next's "number" format, replaced. A value that is
// not a number (a count already written out) is left as it is.

import type { i18n } from 'i18next';
import { formatNumber } from './format.ts';

/** The "number" interpolation format of an i18next instance (once it is initialised), through formatNumber. */
export function registerNumberFormat(instance: i18n): void {
  instance.services.formatter?.add('number', (value: unknown, lng: string | undefined) => (typeof value === 'number' ? formatNumber(value, lng === 'zh' ? 'zh' : 'en') : String(value)));
}
