// The widgets a form designer picks for a field beyond the default input: a toggle (a boolean), a
// slider or a stepper (a number), tags (a multipicklist's options as tags to tick), radio and
// checkbox groups, and a select of a boolean's Yes / No or a small integer range's numbers. A
// group (radios, checkboxes, tags) draws its own label with an id and names the group by it (aria-labelledby): a screen reader announces the question with the options, and the
// form item's own <label for> (which cannot point at a group) is left out (`ui:label: false`).

import { Checkbox, Radio, Slider, Switch, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { ariaDescribedByIds, type WidgetProps } from '@rjsf/utils';
import type { FieldDef } from '../api/meta.ts';
import { InputNumber, Select } from '../app/localized-controls.tsx';
import { useLanguage } from '../app/use-language.ts';
import { formatNumber } from '../i18n/format.ts';
import { amountCurrency } from './amount-currency.ts';
import { integerChoices } from '../../../engine/fields/form-widgets.ts';
import { ReadOnlyValue } from './ReadOnlyValue.tsx';

const fieldOf = (props: WidgetProps): FieldDef => (props.options as { field?: FieldDef }).field ?? { type: 'text' };
const optionsOf = (props: WidgetProps): { value: string; label: string }[] =>
  ((props.options.enumOptions ?? []) as { value: unknown; label: string }[]).map((o) => ({ value: String(o.value), label: o.label }));
const groupLabelId = (id: string) => `${id}__label`;

/** The group's label, drawn as a vertical form item's label (antd's classes, as FieldTemplate.tsx draws them: the same look, the required mark, no colon). */
function GroupLabel({ id, label, required }: { id: string; label: string; required: boolean }) {
  return (
    <div className="ant-row">
      <div className="ant-col ant-col-24 ant-form-item-label" style={{ textAlign: 'start' }}>
        <label id={groupLabelId(id)} className={required ? 'ant-form-item-required ant-form-item-no-colon' : 'ant-form-item-no-colon'}>
          {label}
        </label>
      </div>
    </div>
  );
}

/**
 * What a boolean or a small integer range offers to choose from (Yes and No; each whole number from
 * min to max, a 1–5 rating), else a picklist's options.
 */
function useChoices(props: WidgetProps): { value: string | number | boolean; label: string }[] {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const field = fieldOf(props);
  if (field.type === 'boolean') return [{ value: true, label: t('booleanChoice.yes') }, { value: false, label: t('booleanChoice.no') }];
  const numbers = integerChoices(field);
  return numbers ? numbers.map((n) => ({ value: n, label: formatNumber(n, language) })) : optionsOf(props);
}

/** A picklist's options, a boolean's Yes and No, or a small integer range's numbers as radio buttons, in a radio group named by the field's label; none chosen while the value is empty. */
export function RadioGroupWidget(props: WidgetProps) {
  const { id } = props;
  const readOnly = Boolean(props.readonly || props.disabled);
  const options = useChoices(props);
  return (
    <>
      <GroupLabel id={id} label={props.label} required={props.required ?? false} />
      <Radio.Group
        id={id}
        // The inputs' shared name is the field's id (antd would make one up): a form's focus and a test find the field by it.
        name={id}
        aria-labelledby={groupLabelId(id)}
        aria-describedby={ariaDescribedByIds(id)}
        disabled={readOnly}
        value={props.value ?? null}
        onChange={(e) => props.onChange(e.target.value)}
        onBlur={() => props.onBlur(id, props.value)}
        onFocus={() => props.onFocus(id, props.value)}
        options={options.map((o, i) => ({ value: o.value, label: o.label, id: `${id}-${i}` }))}
      />
    </>
  );
}

/**
 * A boolean's Yes and No, or a small integer range's numbers, as a select the form item's <label for>
 * names; cleared back to empty (a boolean's "not answered") unless the field is required.
 */
export function ChoiceSelectWidget(props: WidgetProps) {
  const { id } = props;
  const choices = useChoices(props);
  // antd's select keeps string or number values: a boolean's are its words' keys.
  const key = (v: unknown) => String(v);
  const chosen = choices.find((c) => props.value !== undefined && props.value !== null && c.value === props.value);
  return (
    <Select
      id={id}
      aria-label={props.label}
      aria-describedby={ariaDescribedByIds(id)}
      allowClear={!props.required}
      disabled={Boolean(props.readonly || props.disabled)}
      placeholder={props.placeholder}
      value={chosen ? key(chosen.value) : undefined}
      options={choices.map((c) => ({ value: key(c.value), label: c.label }))}
      onChange={(v?: string) => props.onChange(choices.find((c) => key(c.value) === v)?.value)}
      onBlur={() => props.onBlur(id, props.value)}
      onFocus={() => props.onFocus(id, props.value)}
      style={{ width: '100%', maxWidth: 240 }}
    />
  );
}

/** A multipicklist's options as checkboxes, in a group named by the field's label. */
export function CheckboxGroupWidget(props: WidgetProps) {
  const { id } = props;
  const readOnly = Boolean(props.readonly || props.disabled);
  const value = Array.isArray(props.value) ? (props.value as string[]) : [];
  return (
    <>
      <GroupLabel id={id} label={props.label} required={props.required ?? false} />
      <Checkbox.Group
        // antd draws the group's other props onto its element (the id is rjsf's, for aria-describedby and errors).
        {...({ id } as object)}
        name={id}
        aria-labelledby={groupLabelId(id)}
        aria-describedby={ariaDescribedByIds(id)}
        disabled={readOnly}
        value={value}
        onChange={(next) => props.onChange(next.length > 0 ? next : undefined)}
        options={optionsOf(props).map((o, i) => ({ value: o.value, label: o.label, id: `${id}-${i}` }))}
      />
    </>
  );
}

/** A multipicklist's options as tags, each ticked or not (a checkbox to assistive technology: Space toggles it). */
export function TagsWidget(props: WidgetProps) {
  const { id } = props;
  const readOnly = Boolean(props.readonly || props.disabled);
  const value = Array.isArray(props.value) ? (props.value as string[]) : [];
  const toggle = (option: string, on: boolean) => {
    const next = on ? [...value, option] : value.filter((v) => v !== option);
    props.onChange(next.length > 0 ? next : undefined);
  };
  return (
    <>
      <GroupLabel id={id} label={props.label} required={props.required ?? false} />
      <div id={id} role="group" aria-labelledby={groupLabelId(id)} aria-describedby={ariaDescribedByIds(id)} style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
        {optionsOf(props).map((o, i) => (
          <Tag.CheckableTag key={o.value} {...({ id: `${id}-${i}` } as object)} checked={value.includes(o.value)} disabled={readOnly} onChange={(on) => toggle(o.value, on)} style={{ marginInlineEnd: 0, border: '1px solid #8c8c8c' }}>
            {o.label}
          </Tag.CheckableTag>
        ))}
      </div>
    </>
  );
}

/** A boolean as a switch; the form item's <label for> names it. */
export function ToggleWidget(props: WidgetProps) {
  const { id } = props;
  return (
    <Switch
      id={id}
      checked={Boolean(props.value)}
      disabled={Boolean(props.readonly || props.disabled)}
      onChange={(on) => props.onChange(on)}
      aria-describedby={ariaDescribedByIds(id)}
    />
  );
}

/** A field's bounds for a slider: its own, else a percent's 0..100, else 0..100; its step by its type and scale. */
export function sliderRange(field: FieldDef): { min: number; max: number; step: number } {
  const min = typeof field.min === 'number' ? field.min : 0;
  const max = typeof field.max === 'number' ? field.max : Math.max(min + 1, 100);
  const step = field.type === 'integer' ? 1 : typeof field.scale === 'number' ? 10 ** -field.scale : 1;
  return { min, max, step };
}

/** A number between the field's bounds as a slider (arrow keys, Page Up/Down, Home, End), its value written beside it. */
export function SliderWidget(props: WidgetProps) {
  const { id } = props;
  const field = fieldOf(props);
  const { language } = useLanguage();
  const { min, max, step } = sliderRange(field);
  const readOnly = Boolean(props.readonly || props.disabled);
  const value = typeof props.value === 'number' ? props.value : undefined;
  const text = value === undefined ? '—' : field.type === 'percent' ? `${formatNumber(value, language)}%` : formatNumber(value, language);
  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: 12 }}>
      <Slider
        id={id}
        style={{ flex: 1, minWidth: 0 }}
        min={min}
        max={max}
        step={step}
        disabled={readOnly}
        value={value ?? min}
        ariaLabelForHandle={props.label}
        ariaValueTextFormatterForHandle={() => text}
        onChange={(v) => props.onChange(v)}
        onFocus={() => props.onFocus(id, props.value)}
        onBlur={() => props.onBlur(id, props.value)}
      />
      <output htmlFor={id} aria-live="off" style={{ minWidth: 48, textAlign: 'end' }} data-slider-value>
        {text}
      </output>
    </div>
  );
}

/** A number with − and + beside it (and the arrow keys); the form item's <label for> names the input. */
export function StepperWidget(props: WidgetProps) {
  const { id } = props;
  const field = fieldOf(props);
  if (props.readonly || props.disabled) return <ReadOnlyValue id={id} field={field} value={props.value} empty={(props.options as { setWhenCreated?: boolean }).setWhenCreated ? props.placeholder : undefined} />;
  const unit = field.type === 'currency' ? amountCurrency(field) : field.type === 'percent' ? '%' : undefined;
  return (
    <InputNumber
      id={id}
      mode="spinner"
      style={{ width: '100%', maxWidth: 240 }}
      value={typeof props.value === 'number' ? props.value : null}
      {...(typeof field.min === 'number' ? { min: field.min } : {})}
      {...(typeof field.max === 'number' ? { max: field.max } : {})}
      {...(field.type === 'integer' ? { precision: 0 } : field.type === 'currency' ? { precision: 2 } : typeof field.scale === 'number' ? { precision: field.scale } : {})}
      {...(unit ? { suffix: unit } : {})}
      aria-describedby={ariaDescribedByIds(id)}
      onChange={(v) => props.onChange(v ?? undefined)}
      onBlur={() => props.onBlur(id, props.value)}
      onFocus={() => props.onFocus(id, props.value)}
    />
  );
}
