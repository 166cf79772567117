// Date pickers and selects drawn as a plain antd text input until the user comes to them: the
// picker (rc-picker) and the select (rc-select) were the largest components of a 200-field record
// page's render, and most of a long form's fields are never opened on a visit. The stand-in has the
// control's id (its label's `for`), value text, placeholder and aria-describedby, and is in the Tab
// order; on focus (Tab or a click) it is swapped for the real control, which takes the focus — a
// date picker then opens as it does on focus, a select opens when it was clicked and otherwise on
// Enter, arrows or typing, as antd's select does.

import CalendarOutlined from '@ant-design/icons/CalendarOutlined';
import DownOutlined from '@ant-design/icons/DownOutlined';
import { Input } from 'antd';
import { useRef, useState, type ReactNode } from 'react';

/** How the real control was asked for: by a pointer (a select opens at once) or by the keyboard. */
export type Activation = 'pointer' | 'keyboard';

// antd's picker and select draw their suffix icons in the quaternary text colour; the select's arrow is 12 px.
const dateIconStyle = { color: 'rgba(0, 0, 0, 0.25)' } as const;
const arrowStyle = { color: 'rgba(0, 0, 0, 0.25)', fontSize: 12 } as const;
const inputStyle = { width: '100%' } as const;
// The select puts 6 px between an option's colour dot and its label; an input's prefix 4 px.
const prefixStyle = { display: 'inline-flex', marginInlineEnd: 2 } as const;

export interface LazyControlProps {
  id: string;
  kind: 'date' | 'select';
  text: string;
  placeholder?: string | undefined;
  prefix?: ReactNode;
  disabled?: boolean | undefined;
  ariaLabel?: string | undefined;
  ariaDescribedBy?: string | undefined;
  /** The real control; `activation` says how it was asked for. */
  render: (activation: Activation) => ReactNode;
}

export function LazyControl({ id, kind, text, placeholder, prefix, disabled, ariaLabel, ariaDescribedBy, render }: LazyControlProps) {
  const [active, setActive] = useState<Activation>();
  const pointer = useRef(false);
  if (active || disabled) return render(active ?? 'keyboard');
  return (
    <Input
      id={id}
      value={text}
      placeholder={placeholder}
      aria-label={ariaLabel}
      aria-describedby={ariaDescribedBy}
      autoComplete="off"
      readOnly
      data-lazy-control={kind}
      style={inputStyle}
      {...(prefix ? { prefix: <span style={prefixStyle}>{prefix}</span> } : {})}
      suffix={kind === 'date' ? <CalendarOutlined style={dateIconStyle} /> : <DownOutlined style={arrowStyle} />}
      onMouseDown={() => {
        pointer.current = true;
      }}
      onFocus={() => setActive(pointer.current ? 'pointer' : 'keyboard')}
    />
  );
}
