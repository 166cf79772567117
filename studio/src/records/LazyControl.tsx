// Date pickers and selects drawn as a plain antd text input until the user comes to them: the
// picker (rc-picker) and the select (rc-select) were the largest components of a 200-field record
// page's render, and most of a long form's fields are never opened on a visit. The stand-in has the
// control's id (its label's `for`), value text, placeholder and aria-describedby, and is in the Tab
// order; on focus (Tab or a click) it is swapped for the real control, which takes the focus — a
// date picker then opens as it does on focus, a select opens when it was clicked and otherwise on
// Enter, arrows or typing, as antd's select does. The stand-in itself is plain DOM with antd's
// input classes (light-input.tsx) where a form gives them, else antd's Input.

import { CalendarOutlined } from '../app/icons.tsx';
import { DownOutlined } from '../app/icons.tsx';
import { Input } from 'antd';
import { useRef, useState, type CSSProperties, type ReactNode } from 'react';
import { useInputLook } from './light-input.tsx';

/** How the real control was asked for: by a pointer (a select opens at once) or by the keyboard. */
export type Activation = 'pointer' | 'keyboard';

// antd's picker and select draw their suffix icons in the quaternary text colour; the select's arrow is 12 px.
const dateIconStyle = { color: 'rgba(0, 0, 0, 0.25)' } as const;
const arrowStyle = { color: 'rgba(0, 0, 0, 0.25)', fontSize: 12 } as const;
const inputStyle = { width: '100%' } as const;
// The select puts 6 px between an option's colour dot and its label; an input's prefix 4 px.
const prefixStyle = { display: 'inline-flex', marginInlineEnd: 2 } as const;

export interface LazyControlProps {
  id?: string | undefined;
  kind: 'date' | 'select';
  text: string;
  placeholder?: string | undefined;
  prefix?: ReactNode;
  disabled?: boolean | undefined;
  ariaLabel?: string | undefined;
  ariaDescribedBy?: string | undefined;
  /** The stand-in's size where the real control is not full width (a filter bar's select). */
  style?: CSSProperties | undefined;
  /** Draw the real control without waiting (a filter with a value); once drawn it stays. */
  eager?: boolean | undefined;
  /** The real control; `activation` says how it was asked for (undefined: drawn eagerly, nobody asked). */
  render: (activation: Activation | undefined) => ReactNode;
}

export function LazyControl({ id, kind, text, placeholder, prefix, disabled, ariaLabel, ariaDescribedBy, style, eager, render }: LazyControlProps) {
  const [active, setActive] = useState<Activation>();
  const pointer = useRef(false);
  const input = useRef<HTMLInputElement>(null);
  const look = useInputLook();
  const boxStyle = style ?? inputStyle;
  // The real control, once drawn, is not swapped back while someone may be using it.
  const drawn = useRef(false);
  if (eager) drawn.current = true;
  if (active || disabled) return render(active ?? 'keyboard');
  if (drawn.current) return render(undefined);
  const suffix = kind === 'date' ? <CalendarOutlined style={dateIconStyle} /> : <DownOutlined style={arrowStyle} />;
  const onMouseDown = () => {
    pointer.current = true;
  };
  const onFocus = () => setActive(pointer.current ? 'pointer' : 'keyboard');
  if (!look)
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
        style={boxStyle}
        {...(prefix ? { prefix: <span style={prefixStyle}>{prefix}</span> } : {})}
        suffix={suffix}
        onMouseDown={onMouseDown}
        onFocus={onFocus}
      />
    );
  const p = look.prefixCls;
  // As antd's affix wrapper: a click on the icon or the padding focuses the input.
  return (
    <span
      className={`${look.affixWrapper} ${p}-affix-wrapper-readonly`}
      style={boxStyle}
      onMouseDown={onMouseDown}
      onClick={(e) => {
        if (e.target !== input.current) input.current?.focus();
      }}
    >
      {prefix && (
        <span className={`${p}-prefix`}>
          <span style={prefixStyle}>{prefix}</span>
        </span>
      )}
      <input
        ref={input}
        id={id}
        type="text"
        className={look.affixInput}
        value={text}
        placeholder={placeholder}
        aria-label={ariaLabel}
        aria-describedby={ariaDescribedBy}
        autoComplete="off"
        readOnly
        data-lazy-control={kind}
        onFocus={onFocus}
      />
      <span className={`${p}-suffix`}>{suffix}</span>
    </span>
  );
}
