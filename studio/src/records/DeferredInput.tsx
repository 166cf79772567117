// A text or number input that paints each key press at once and hands the value to the form in a
// React transition: rjsf re-renders its whole form on every change, and that render (20 fields of a
// section) then runs after the paint, interruptible by the next key, instead of before it.
// On blur and on Enter the pending value is handed over synchronously, so a save or a submit never
// misses the last key press.
// Drawn light where it can be (light-input.tsx): a text field as a plain <input> with antd's
// classes; a number as such an input showing the number until it is focused, then antd's
// InputNumber (stepping, precision, bounds), which takes the focus with its text selected — as Tab
// selects it. A field with a status (an error), examples or a clear button, or a disabled or
// read-only text, is antd's BaseInputTemplate as before; a read-only number is its text (ReadOnlyValue.tsx).

import { Templates } from '@rjsf/antd';
import { ariaDescribedByIds, getInputProps, type WidgetProps } from '@rjsf/utils';
import { FormItemInputContext } from 'antd/es/form/context';
import { startTransition, useContext, useLayoutEffect, useRef, useState, type ComponentType, type KeyboardEvent } from 'react';
import { flushSync } from 'react-dom';
import type { FieldDef } from '../api/meta.ts';
import { useNamedStepButtons } from '../app/localized-controls.tsx';
import { useInputLook, type InputLook } from './light-input.tsx';
import { ReadOnlyValue } from './ReadOnlyValue.tsx';

const AntBaseInput = Templates.BaseInputTemplate as ComponentType<WidgetProps>;
const fullWidth = { width: '100%' } as const;

/** A number as InputNumber shows it (no exponent for large or small ones). */
function numberText(value: unknown): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return value == null ? '' : String(value);
  const plain = String(value);
  return /e/i.test(plain) ? value.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 }) : plain;
}

export function DeferredBaseInputTemplate(props: WidgetProps) {
  const { id, value, onChange, onBlur, onFocus, schema, options, type, disabled, readonly, placeholder, required } = props;
  const [local, setLocal] = useState<unknown>(value);
  // Values handed to the form whose render may not have committed yet: seeing one of them come back
  // as `value` is our own key press arriving, not a change made by the form.
  const sent = useRef<unknown[]>([]);
  const seen = useRef<unknown>(value);
  if (!Object.is(value, seen.current)) {
    seen.current = value;
    const ours = sent.current.findIndex((v) => Object.is(v, value));
    if (ours >= 0) sent.current = sent.current.slice(ours + 1);
    else {
      sent.current = [];
      setLocal(value);
    }
  }
  const look = useInputLook();
  const { status } = useContext(FormItemInputContext);
  const numeric = !type && !options.inputType && (schema.type === 'number' || schema.type === 'integer');
  const [numberActive, setNumberActive] = useState(false);
  // @rjsf/antd draws antd's InputNumber itself: its step buttons are named here, in the UI language.
  const box = useRef<HTMLDivElement>(null);
  useNamedStepButtons(() => (numeric ? box.current : undefined));

  const flush = () => {
    if (sent.current.length > 0) flushSync(() => onChange(local));
  };
  const change = (next: unknown) => {
    setLocal(next);
    sent.current.push(next);
    startTransition(() => onChange(next));
  };
  const blur = (fieldId: string, v: unknown) => {
    flush();
    onBlur(fieldId, v);
  };
  // A read-only number is text, written as lists write it (grouped, its field's scale), not a disabled input.
  if (numeric && (readonly || disabled)) {
    const field = (options as { field?: FieldDef }).field ?? { type: schema.type === 'integer' ? 'integer' : 'number' };
    return <ReadOnlyValue id={id} field={field} value={value} empty={(options as { setWhenCreated?: boolean }).setWhenCreated ? placeholder : undefined} />;
  }
  const light = look !== undefined && !status && !disabled && !readonly && schema.examples === undefined && !options.allowClearTextInputs;

  let input;
  if (light && numeric && !numberActive) input = <NumberStandIn look={look} id={id} text={numberText(local)} placeholder={placeholder} onActivate={() => setNumberActive(true)} />;
  else if (light && !numeric) {
    const { min, max, ...inputProps } = getInputProps(schema, type, options, false);
    input = (
      <input
        {...inputProps}
        {...(min !== undefined ? { min } : {})}
        {...(max !== undefined ? { max } : {})}
        id={id}
        name={props.htmlName || id}
        className={look.input}
        style={fullWidth}
        value={local == null ? '' : String(local as string)}
        placeholder={placeholder}
        required={required}
        aria-describedby={ariaDescribedByIds(id, false)}
        onChange={(e) => change(e.target.value === '' ? options.emptyValue : e.target.value)}
        onBlur={(e) => blur(id, e.target.value)}
        onFocus={(e) => onFocus(id, e.target.value)}
      />
    );
  } else input = <AntBaseInput {...props} value={local} onChange={change} onBlur={blur} />;

  return (
    <div
      ref={box}
      onKeyDownCapture={(e: KeyboardEvent) => {
        if (e.key === 'Enter') flush();
      }}
    >
      {numeric && numberActive ? <TakeFocus>{input}</TakeFocus> : input}
    </div>
  );
}

/** The number's text in a plain input, in the Tab order and labelled like the real one; focusing it asks for InputNumber. */
function NumberStandIn({ look, id, text, placeholder, onActivate }: { look: InputLook; id: string; text: string; placeholder: string | undefined; onActivate: () => void }) {
  return (
    <input
      id={id}
      className={look.input}
      style={fullWidth}
      value={text}
      placeholder={placeholder}
      inputMode="decimal"
      autoComplete="off"
      aria-describedby={ariaDescribedByIds(id, false)}
      data-lazy-control="number"
      // Never typed into: focus swaps it for InputNumber before the next key arrives.
      onChange={() => undefined}
      onFocus={onActivate}
    />
  );
}

/** Gives the focus (text selected) to the input inside once, when the real control replaces the stand-in. */
function TakeFocus({ children }: { children: React.ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const input = box.current?.querySelector('input');
    input?.focus();
    input?.select();
  }, []);
  return <div ref={box}>{children}</div>;
}
