// A light rjsf FieldTemplate: a plain field (a label and its control, no error, no description) is
// drawn as the DOM antd's Form.Item draws — same classes, so the same look from antd's stylesheet —
// without the Form.Item component (its row and columns, label, status and margin hooks were most
// of a 200-field page's render). The widget still sees a form item's input context (width, feedback
// classes). A field with an error or a description, an object, an array or a checkbox keeps
// @rjsf/antd's template: errors show next to their field exactly as before (ids, aria-describedby,
// `.ant-form-item-explain-error`).
// An object field without a label, error or description (each section form's root) is drawn the same
// way, with the form's style classes antd's Form.Item would add (its CSS variables, which the plain
// fields inside read): Form.Item measured its own visibility on every re-render (a forced layout
// in each section's render once the form logic arrived).

import { Templates } from '@rjsf/antd';
import type { FieldTemplateProps } from '@rjsf/utils';
import { ConfigProvider } from 'antd';
import { FormItemInputContext } from 'antd/es/form/context';
import useFormStyle from 'antd/es/form/style';
import { useContext, type ComponentType, type CSSProperties, type ReactNode } from 'react';

const AntFieldTemplate = Templates.FieldTemplate as ComponentType<FieldTemplateProps>;

/** What a Form.Item without status gives its input (antd's StatusProvider): one object, never rebuilt. */
const plainInputContext = { status: '' as const, errors: [], warnings: [], hasFeedback: true, feedbackIcon: undefined, isFormItemInput: true };

/** What Form.Item draws around an object's fields when it has no label, status or help. */
function LightObjectItem({ className, style, children }: { className: string | undefined; style: CSSProperties | undefined; children: ReactNode }) {
  const { getPrefixCls } = useContext(ConfigProvider.ConfigContext);
  const prefixCls = getPrefixCls('form');
  const rootCls = `${prefixCls}-css-var`;
  const [hashId, cssVarCls] = useFormStyle(prefixCls, rootCls);
  return (
    <div className={className} style={style}>
      <div className={`${prefixCls}-item ${cssVarCls} ${rootCls} ${hashId} ${prefixCls}-item-horizontal`}>
        <div className={`ant-row ${prefixCls}-item-row`}>
          <div className={`ant-col ant-col-24 ${prefixCls}-item-control`}>
            <div className={`${prefixCls}-item-control-input`}>
              <div className={`${prefixCls}-item-control-input-content`}>{children}</div>
            </div>
          </div>
        </div>
      </div>
    </div>
  );
}

export function LightFieldTemplate(props: FieldTemplateProps) {
  const { id, label, displayLabel, required, hidden, rawErrors, rawDescription, rawHelp, schema, uiSchema, children, classNames, style } = props;
  if (schema.type === 'object' && !hidden && !(displayLabel && label) && !rawErrors?.length && !rawDescription && !rawHelp && schema.additionalProperties === undefined)
    return (
      <LightObjectItem className={classNames} style={style}>
        {children}
      </LightObjectItem>
    );
  const plain =
    !hidden &&
    displayLabel &&
    label &&
    !rawErrors?.length &&
    !rawDescription &&
    !rawHelp &&
    schema.type !== 'object' &&
    schema.type !== 'array' &&
    schema.type !== 'boolean' &&
    uiSchema?.['ui:widget'] !== 'checkbox';
  if (!plain) return <AntFieldTemplate {...props} />;
  return (
    <div className={classNames} style={style}>
      <div className="ant-form-item ant-form-item-horizontal">
        <div className="ant-row ant-form-item-row">
          <div className="ant-col ant-col-24 ant-form-item-label">
            <label htmlFor={id} className={required ? 'ant-form-item-required' : ''} title={label}>
              {label}
            </label>
          </div>
          <div className="ant-col ant-col-24 ant-form-item-control">
            <div className="ant-form-item-control-input">
              <div className="ant-form-item-control-input-content">
                <FormItemInputContext.Provider value={plainInputContext}>{children}</FormItemInputContext.Provider>
              </div>
            </div>
          </div>
        </div>
      </div>
    </div>
  );
}
