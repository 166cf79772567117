// A text or number input that paints each key press at once and hands the value to the form in a
// React transition: rjsf re-renders its whole form on every change, and that render (20 fields of a
// section) then runs after the paint, interruptible by the next key, instead of before it.
// On blur and on Enter the pending value is handed over synchronously, so a save or a submit never
// misses the last key press.

import { Templates } from '@rjsf/antd';
import type { WidgetProps } from '@rjsf/utils';
import { startTransition, useRef, useState, type ComponentType, type KeyboardEvent } from 'react';
import { flushSync } from 'react-dom';

const AntBaseInput = Templates.BaseInputTemplate as ComponentType<WidgetProps>;

export function DeferredBaseInputTemplate(props: WidgetProps) {
  const { value, onChange, onBlur } = props;
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

  const flush = () => {
    if (sent.current.length > 0) flushSync(() => onChange(local));
  };

  return (
    <div
      onKeyDownCapture={(e: KeyboardEvent) => {
        if (e.key === 'Enter') flush();
      }}
    >
      <AntBaseInput
        {...props}
        value={local}
        onChange={(next: unknown) => {
          setLocal(next);
          sent.current.push(next);
          startTransition(() => onChange(next));
        }}
        onBlur={(id: string, v: unknown) => {
          flush();
          onBlur(id, v);
        }}
      />
    </div>
  );
}
