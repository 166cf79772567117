// The first step of a rename (an entity's or a field's): the new name, checked against the
// metadata language's name pattern before anything is asked of the server.

import { Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { metadataName } from '../metadata-name.ts';


export interface AskNewNameLabels {
  title: string;
  newName: string;
  help: string;
  invalid: string;
  preview: string;
}

/** Open while `open`; the name given is handed to `onPreview` (trimmed, valid, not the current one). */
export function AskNewName({ open, current, inputId, labels, onPreview, onCancel }: { open: boolean; current: string; inputId: string; labels: AskNewNameLabels; onPreview: (to: string) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [to, setTo] = useState('');
  const invalid = to !== '' && (!metadataName.test(to) || to === current);
  const preview = () => {
    if (to === '' || invalid) return;
    onPreview(to);
    setTo('');
  };
  return (
    <Modal
      open={open}
      title={labels.title}
      okText={labels.preview}
      cancelText={t('dryRun.cancel')}
      okButtonProps={{ disabled: to === '' || invalid }}
      onOk={preview}
      onCancel={() => { setTo(''); onCancel(); }}
      destroyOnHidden
    >
      <Form layout="vertical" component="div" onKeyDown={(e) => e.key === 'Enter' && preview()}>
        <Form.Item label={labels.newName} htmlFor={inputId} help={<span id={`${inputId}-help`}>{invalid ? labels.invalid : labels.help}</span>} validateStatus={invalid ? 'error' : undefined}>
          <Input id={inputId} value={to} autoFocus onChange={(e) => setTo(e.target.value.trim())} placeholder={current} autoComplete="off" aria-describedby={`${inputId}-help`} aria-invalid={invalid} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
