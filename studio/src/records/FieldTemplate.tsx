// A light rjsf FieldTemplate: a plain field (a label and its control, no error, no description) is
// drawn as the DOM antd's Form.Item draws — same classes, so the same look from antd's stylesheet —
// without the Form.Item component (its row and columns, label, status and margin hooks were most
// of a 200-field page's render). The widget still sees a form item's input context (width, feedback
// classes). A field with an error or a description, an object, an array or a checkbox keeps
// @rjsf/antd's template: errors show next to their field exactly as before (ids, aria-describedby,
// `.ant-form-item-explain-error`).

import { Templates } from '@rjsf/antd';
import type { FieldTemplateProps } from '@rjsf/utils';
import { FormItemInputContext } from 'antd/es/form/context';
import type { ComponentType } from 'react';

const AntFieldTemplate = Templates.FieldTemplate as ComponentType<FieldTemplateProps>;

/** What a Form.Item without status gives its input (antd's StatusProvider): one object, never rebuilt. */
const plainInputContext = { status: '' as const, errors: [], warnings: [], hasFeedback: true, feedbackIcon: undefined, isFormItemInput: true };

export function LightFieldTemplate(props: FieldTemplateProps) {
  const { id, label, displayLabel, required, hidden, rawErrors, rawDescription, rawHelp, schema, uiSchema, children, classNames, style } = props;
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
