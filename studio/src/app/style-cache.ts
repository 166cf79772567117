// antd's cache of the styles it writes at run time. In zero-runtime mode (theme.ts) those are only
// its CSS-variable styles: one <style> per component kind (inputs, selects, tables…), prepended to
// <head>. antd counts the components using each and removes the <style> when the last one unmounts,
// so every navigation between a list and a record page removed and re-added ~10 of them; each such
// change makes chromium rebuild the rules of every stylesheet (antd.css has ~5,000) and restyle the
// whole page, once more whenever the page is measured in between (removing the focused link is).
// This cache keeps one extra reference to every CSS-variable entry: written once, kept.

import { createCache } from '@ant-design/cssinjs';

type Cache = ReturnType<typeof createCache>;
type Update = Parameters<Cache['opUpdate']>[1];

export function createKeptStyleCache(): Cache {
  const cache = createCache();
  const update = cache.opUpdate.bind(cache);
  const kept = (next: Update): Update => (prev) => {
    const value = next(prev);
    // The entry's first write (prev is absent: the Map's undefined) takes the extra reference.
    return prev == null && value ? [value[0] + 1, value[1]] : value;
  };
  cache.opUpdate = (key, next) => update(key, key.startsWith('cssVar%') ? kept(next) : next);
  return cache;
}
