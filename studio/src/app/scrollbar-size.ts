// @rc-component/util's getTargetScrollBarSize, measured once per scrollbar style (studio/vite.config.ts
// puts it in place of the library's for the library's own imports). rc-table measures its body's
// scrollbar on every mount: it adds a <style> element and a probe element, reads the probe's size
// and removes both — each sheet change restyles the whole page (antd.css has ~5,000 rules) and the
// read forces a layout inside the list page's commit. The size only changes with the scrollbar's
// style or the zoom, so those are the cache key. A table without a fixed or sticky header measures
// its `-content` box, and rc-table reads the size only for a fixed or sticky header (FixedHolder,
// ExpandedRow) — it measures once, on mount — so that box is not measured at all.

import getScrollBarSize, { getTargetScrollBarSize as measure } from '@rc-component/util/es/getScrollBarSize';

export default getScrollBarSize;

const sizes = new Map<string, { width: number; height: number }>();

export function getTargetScrollBarSize(target: unknown): { width: number; height: number } {
  if (typeof document === 'undefined' || !(target instanceof Element)) return measure(target as HTMLElement);
  const box = target.classList[0] ?? '';
  if (box.endsWith('-content') && target.parentElement?.classList.contains(box.replace(/-content$/, '-container'))) return { width: 0, height: 0 };
  const style = getComputedStyle(target);
  const webkit = getComputedStyle(target, '::-webkit-scrollbar');
  const key = [style.scrollbarWidth, style.scrollbarColor, webkit.width, webkit.height, window.devicePixelRatio].join('|');
  let size = sizes.get(key);
  if (!size) {
    size = measure(target as HTMLElement);
    sizes.set(key, size);
  }
  return size;
}
