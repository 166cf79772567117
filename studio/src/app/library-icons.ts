// antd draws icons of its own inside its controls — a select's arrow ("down"), a picker's calendar, a
// clear button's "close-circle", a table's sorter carets — each `<span role="img" aria-label="down">`,
// read as an image with an English name whatever the locale; no ConfigProvider option hides them.
// This hides (aria-hidden) each such icon that still carries the library's own name (its label is its
// `anticon-<name>` class) when it is not what names a control: outside any control, or inside one that
// has a name of its own (text, aria-label, aria-labelledby or title). An icon that is all a control's
// name is left as it is: a button named "left" is better than a button with no name.

import { useLayoutEffect } from 'react';

const icons = '.anticon[role="img"][aria-label]:not([aria-hidden])';
const controls = 'button, a[href], [role="button"], [role="link"], [role="menuitem"], [role="tab"], [role="switch"]';

function hasLibraryName(icon: Element): boolean {
  const label = icon.getAttribute('aria-label');
  return !!label && icon.classList.contains(`anticon-${label}`);
}

function namedWithoutIt(icon: Element): boolean {
  const control = icon.parentElement?.closest(controls);
  if (!control) return true;
  if (control.getAttribute('aria-label') || control.getAttribute('aria-labelledby') || control.getAttribute('title')) return true;
  return (control.textContent ?? '').trim() !== '';
}

function hideIn(root: Element): void {
  const found = root.matches(icons) ? [root] : [];
  for (const icon of [...found, ...root.querySelectorAll(icons)]) if (hasLibraryName(icon) && namedWithoutIt(icon)) icon.setAttribute('aria-hidden', 'true');
}

/** Hides antd's own icons from assistive technology wherever they are not a control's only name, as they come. */
export function useDecorativeLibraryIcons(): void {
  useLayoutEffect(() => {
    hideIn(document.body);
    const observer = new MutationObserver((records) => {
      for (const record of records) for (const node of record.addedNodes) if (node instanceof Element) hideIn(node);
    });
    observer.observe(document.body, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, []);
}
