// A list row's selection checkbox drawn as antd's Checkbox draws it (same elements and classes,
// from antd's stylesheet) without the component: 50 rows made 50 Checkbox components (rc-checkbox,
// its wave, form and group contexts), one of the largest parts of a list page's render. The native
// input keeps a label ("Select row N" / "Row N selected", rowSelect in row-select.i18n.json), the Tab order and Space; a
// shift-click selects the range from the last row clicked, as antd's does.

import type { Key } from 'react';

export function RowCheckbox({ checked, index, label, onToggle }: { checked: boolean; index: number; label: string; onToggle: (index: number, range: boolean) => void }) {
  return (
    <label className={checked ? 'ant-checkbox-wrapper ant-checkbox-wrapper-checked ant-checkbox-css-var' : 'ant-checkbox-wrapper ant-checkbox-css-var'}>
      <span className={checked ? 'ant-checkbox ant-checkbox-checked ant-wave-target' : 'ant-checkbox ant-wave-target'}>
        <input
          type="checkbox"
          className="ant-checkbox-input"
          checked={checked}
          aria-label={label}
          onClick={(e) => e.stopPropagation()}
          onChange={(e) => onToggle(index, (e.nativeEvent as MouseEvent).shiftKey === true)}
        />
      </span>
    </label>
  );
}

/** The keys selected after a click on row `index` (a shift-click sets the range from `anchor` to the clicked row's new state). */
export function toggledKeys(selected: Key[], keys: Key[], index: number, anchor: number | undefined, range: boolean): Key[] {
  const key = keys[index]!;
  const on = !selected.includes(key);
  const span = range && anchor !== undefined ? keys.slice(Math.min(anchor, index), Math.max(anchor, index) + 1) : [key];
  const rest = selected.filter((k) => !span.includes(k));
  return on ? [...rest, ...span] : rest;
}
