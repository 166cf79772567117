// antd draws icons of its own inside its controls — a select's arrow ("down"), a picker's calendar, a
// clear button's "close-circle", a table's sorter carets — each `<span role="img" aria-label="down">`,
// read as an image with an English name whatever the locale; no ConfigProvider or IconContext option
// hides them (see useDecorativeLibraryIcons).
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

function insidePending(node: Element, pending: Set<Element>): boolean {
  for (let up = node.parentElement; up; up = up.parentElement) if (pending.has(up)) return true;
  return false;
}

/**
 * Hides antd's own icons from assistive technology wherever they are not a control's only name, as they come.
 * No antd or @ant-design/icons option does it: IconContext carries only a class prefix, a root class and a
 * CSP nonce, and the icon component sets role and aria-label itself. So an observer watches insertions,
 * kept cheap: an inserted subtree is looked at only when it holds an antd icon, and the insertions the
 * observer reports together (one React commit) are looked at once (a subtree inside another is not walked
 * twice). Not deferred to the next frame: until then the icon would be read by its English name.
 */
export function useDecorativeLibraryIcons(): void {
  useLayoutEffect(() => {
    hideIn(document.body);
    const observer = new MutationObserver((records) => {
      const pending = new Set<Element>();
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (!(node instanceof Element)) continue;
          if (!node.classList.contains('anticon') && !node.querySelector('.anticon')) continue;
          pending.add(node);
        }
      }
      for (const root of pending) if (root.isConnected && !insidePending(root, pending)) hideIn(root);
    });
    observer.observe(document.body, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, []);
}
