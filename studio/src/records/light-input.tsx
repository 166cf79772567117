// antd's text input drawn as plain DOM. A 200-field record page made ~100 antd Input components
// (rc-input, a dozen config, size, status, variant and compact hooks each) for what is an <input>
// with antd's classes; the classes come from antd's own hooks here, once per form (InputLook), and
// each field draws the element. Anything those elements cannot show — a form item's status or
// feedback icon, a disabled form — falls back to the antd component (useInputLook gives undefined).

import { ConfigProvider } from 'antd';
import DisabledContext from 'antd/es/config-provider/DisabledContext';
import useSize from 'antd/es/config-provider/hooks/useSize';
import useVariant from 'antd/es/form/hooks/useVariants';
import useInputStyle, { useSharedStyle } from 'antd/es/input/style';
import { createContext, useContext, useMemo, type ReactNode } from 'react';

export interface InputLook {
  prefixCls: string;
  /** The theme's hash and CSS-variable classes, the same for every antd component. */
  hashId: string;
  cssVarCls: string;
  /** An input without prefix or suffix. */
  input: string;
  /** An affix wrapper (add `${prefixCls}-affix-wrapper-readonly` for a read-only one) and the input inside it. */
  affixWrapper: string;
  affixInput: string;
}

const InputLookContext = createContext<InputLook | undefined>(undefined);

/** antd's input classes (and its CSS variables, registered as an antd Input registers them) for the fields below. */
export function InputLookProvider({ children }: { children: ReactNode }) {
  const { getPrefixCls, direction } = useContext(ConfigProvider.ConfigContext);
  const prefixCls = getPrefixCls('input');
  const rootCls = `${prefixCls}-css-var`;
  const [hashId, cssVarCls] = useSharedStyle(prefixCls);
  useInputStyle(prefixCls, rootCls);
  const [variant, enableVariantCls] = useVariant('input');
  const size = useSize((ctx) => ctx);
  const disabled = useContext(DisabledContext);
  const look = useMemo<InputLook | undefined>(() => {
    if (disabled) return undefined;
    const join = (...parts: (string | false | undefined)[]) => parts.filter(Boolean).join(' ');
    const variantCls = enableVariantCls && `${prefixCls}-${variant}`;
    const sizeCls = (base: string) => join(size === 'small' && `${base}-sm`, size === 'large' && `${base}-lg`, direction === 'rtl' && `${base}-rtl`);
    const inputInner = join(prefixCls, sizeCls(prefixCls), hashId);
    return {
      prefixCls,
      hashId,
      cssVarCls,
      input: join(inputInner, variantCls, cssVarCls, rootCls),
      affixWrapper: join(`${prefixCls}-affix-wrapper`, sizeCls(`${prefixCls}-affix-wrapper`), hashId, variantCls, cssVarCls, rootCls),
      affixInput: inputInner,
    };
  }, [disabled, prefixCls, hashId, cssVarCls, rootCls, variant, enableVariantCls, size, direction]);
  return <InputLookContext.Provider value={look}>{children}</InputLookContext.Provider>;
}

export const useInputLook = () => useContext(InputLookContext);
