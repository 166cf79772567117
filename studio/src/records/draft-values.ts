// The record being edited, as fields of other sections need it: a lookup whose filter reads
// `$record.account` re-searches when the account changes. The editor's draft lives in a ref (typing
// re-renders one section only); this lets a widget subscribe to the few fields it reads.

import { useSyncExternalStore } from 'react';

export interface DraftValues {
  read(): Readonly<Record<string, unknown>>;
  subscribe(listener: () => void): () => void;
}

export function createDraftValues(read: () => Readonly<Record<string, unknown>>): DraftValues & { notify(): void } {
  const listeners = new Set<() => void>();
  return {
    read,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    notify() {
      for (const listener of listeners) listener();
    },
  };
}

/**
 * The named fields' current values as JSON text (stable while they do not change, so a keystroke
 * elsewhere re-renders nothing here); `{}` outside an editor.
 */
export function useDraftFields(draft: DraftValues | undefined, names: readonly string[]): string {
  const snapshot = () => {
    const values = draft?.read() ?? {};
    return JSON.stringify(Object.fromEntries(names.filter((n) => values[n] !== undefined && values[n] !== null && values[n] !== '').map((n) => [n, values[n]])));
  };
  return useSyncExternalStore(draft?.subscribe ?? noSubscription, snapshot);
}

const noSubscription = () => () => {};

export { recordFieldsRead } from '../../../engine/filter/record-references.ts';
