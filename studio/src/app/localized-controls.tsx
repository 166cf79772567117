// antd's Select, InputNumber and Input.Search with accessible names in the UI language. antd's locale
// (ConfigProvider) does not reach names its libraries write in English: rc-select's clear button
// ("Clear", unless `allowClear` carries a `label`), rc-input-number's step buttons ("Increase Value" /
// "Decrease Value", fixed in the library with no prop to change them), and a search input's buttons,
// named by their icons ("search", "close-circle"). The studio imports these controls from here, never
// from antd (eslint.config.js says so), so each says them in the UI language without each call site
// passing labels.

import { CloseCircleFilled, SearchOutlined } from './icons.tsx';
import { ConfigProvider, Input, InputNumber as AntInputNumber, Select as AntSelect, type GetRef, type InputNumberProps, type SelectProps } from 'antd';
import type { SearchProps } from 'antd/es/input';
import { useCallback, useContext, useEffect, useLayoutEffect, useRef, type Ref } from 'react';
import { useTranslation } from 'react-i18next';

type SelectRef = GetRef<typeof AntSelect>;

function LocalizedSelect(props: SelectProps & { ref?: Ref<SelectRef> }) {
  const { t } = useTranslation();
  const { allowClear } = props;
  // A select with a name gives it to its clear button: a row of selects (a mapping's columns) had a
  // row of buttons all called "Clear", none saying what it clears.
  const named = props['aria-label'];
  const label = named ? t('common.clearNamed', { name: named }) : t('common.clear');
  // An object replaces antd's own clear icon too: it is given back with the label.
  const clear = allowClear ? { clearIcon: <CloseCircleFilled />, ...(typeof allowClear === 'object' ? allowClear : {}), label } : allowClear;
  return <AntSelect {...props} allowClear={clear} />;
}

/** antd's Select (the same props, generics and members), its clear button named in the UI language. */
export const Select = Object.assign(LocalizedSelect, { Option: AntSelect.Option, OptGroup: AntSelect.OptGroup }) as unknown as typeof AntSelect;

type InputNumberRef = GetRef<typeof AntInputNumber>;

function assignRef<T>(ref: Ref<T> | undefined, value: T | null): void {
  if (typeof ref === 'function') ref(value);
  else if (ref) ref.current = value;
}

/**
 * Names the number step buttons drawn inside an element in the UI language: on the elements the
 * library draws, and again whenever it draws them anew (they come and go with disabled, read-only and
 * `controls`). React leaves the attribute alone afterwards: the library's prop for it never changes.
 * For antd InputNumbers this module does not draw (@rjsf/antd's number input).
 */
export function useNamedStepButtons(root: () => HTMLElement | null | undefined): void {
  const { t } = useTranslation();
  const { getPrefixCls } = useContext(ConfigProvider.ConfigContext);
  const prefixCls = getPrefixCls('input-number');
  const up = t('common.increaseValue');
  const down = t('common.decreaseValue');
  const named = useRef<{ element: HTMLElement; labels: string; observer: MutationObserver } | undefined>(undefined);
  useLayoutEffect(() => {
    const element = root() ?? undefined;
    const labels = `${prefixCls} ${up} ${down}`;
    if (named.current?.element === element && named.current?.labels === labels) return;
    named.current?.observer.disconnect();
    named.current = undefined;
    if (!element) return;
    const name = () => {
      for (const [action, label] of [['up', up], ['down', down]] as const) {
        for (const handler of element.querySelectorAll(`.${prefixCls}-action-${action}`)) if (handler.getAttribute('aria-label') !== label) handler.setAttribute('aria-label', label);
      }
    };
    name();
    const observer = new MutationObserver(name);
    observer.observe(element, { childList: true, subtree: true });
    named.current = { element, labels, observer };
  });
  useEffect(() => () => named.current?.observer.disconnect(), []);
}

function LocalizedInputNumber(props: InputNumberProps & { ref?: Ref<InputNumberRef> }) {
  const own = useRef<InputNumberRef | null>(null);
  const { ref: given } = props;
  const ref = useCallback((value: InputNumberRef | null) => {
    own.current = value;
    assignRef(given, value);
  }, [given]);
  useNamedStepButtons(() => own.current?.nativeElement);
  return <AntInputNumber {...props} ref={ref} />;
}

/** antd's InputNumber (the same props and generics), its step buttons named in the UI language. */
export const InputNumber = LocalizedInputNumber as unknown as typeof AntInputNumber;

/** antd's Input.Search, its search and clear buttons named in the UI language (an icon's name is the button's). */
export function SearchInput(props: SearchProps & { ref?: Ref<GetRef<typeof Input.Search>> }) {
  const { t } = useTranslation();
  const { allowClear } = props;
  const clear = allowClear ? { ...(typeof allowClear === 'object' ? allowClear : {}), clearIcon: <CloseCircleFilled aria-label={t('common.clear')} /> } : allowClear;
  return <Input.Search searchIcon={<SearchOutlined aria-label={t('common.search')} />} {...props} allowClear={clear} />;
}
