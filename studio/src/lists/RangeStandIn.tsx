// A filter bar's empty date range drawn as antd's range picker draws itself (its classes, two
// inputs, the separator and the calendar icon) without the component: rc-picker's range picker was
// one of the largest parts of a list page's render, and most visits never open it. Focusing either
// input (Tab or a click) swaps in the real picker, which takes the focus on the same side and opens
// (`render` is told the side; undefined when nobody focused it).

import { CalendarOutlined } from '../app/icons.tsx';
import { SwapRightOutlined } from '../app/icons.tsx';
import { ConfigProvider } from 'antd';
import usePickerStyle from 'antd/es/date-picker/style';
import { useContext, useRef, useState, type ReactNode } from 'react';
import { useInputLook } from '../records/light-input.tsx';

export function RangeStandIn({ empty, label, placeholders, render }: { empty: boolean; label: string; placeholders: [string, string]; render: (side: 0 | 1 | undefined) => ReactNode }) {
  const [side, setSide] = useState<0 | 1>();
  const look = useInputLook();
  const { getPrefixCls } = useContext(ConfigProvider.ConfigContext);
  const p = getPrefixCls('picker');
  usePickerStyle(p, `${p}-css-var`);
  // A range with a value is the real picker from the start, and once drawn it stays.
  const drawn = useRef(!empty);
  if (!empty) drawn.current = true;
  if (side !== undefined || !look || drawn.current) return render(side);
  const input = (which: 0 | 1) => (
    <div className={`${p}-input ${p}-input-${which === 0 ? 'start' : 'end'}`}>
      <input aria-label={label} placeholder={placeholders[which]} size={12} autoComplete="off" readOnly onFocus={() => setSide(which)} data-lazy-control="range" />
    </div>
  );
  return (
    <div
      className={`${p} ${p}-range ${p}-outlined ${look.hashId} ${look.cssVarCls} ${p}-css-var`}
      // As the picker: a click outside both inputs (the icon, the padding) goes to the first.
      onMouseDown={(e) => {
        if (!(e.target instanceof HTMLInputElement)) {
          e.preventDefault();
          setSide(0);
        }
      }}
    >
      {input(0)}
      <div className={`${p}-range-separator`}>
        <span aria-hidden="true" className={`${p}-separator`}>
          <SwapRightOutlined />
        </span>
      </div>
      {input(1)}
      <span className={`${p}-suffix`}>
        <CalendarOutlined aria-hidden="true" />
      </span>
    </div>
  );
}
