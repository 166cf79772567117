// Asks for a transition's comment (required or optional) before it is taken.

import { Input, Modal } from 'antd';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

export function CommentPrompt({ open, title, required, onOk, onCancel }: { open: boolean; title: string; required: boolean; onOk: (comment: string) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const id = useId();
  const label = required ? t('record.commentRequired') : t('record.comment');
  return (
    <Modal
      open={open}
      title={title}
      okText={t('record.takeTransition')}
      // Not "Cancel": a transition is often called that (取消), and its dialog's way out must not read the same.
      cancelText={t('record.leaveTransition')}
      okButtonProps={{ disabled: required && text.trim() === '' }}
      onOk={() => {
        onOk(text.trim());
        setText('');
      }}
      onCancel={() => {
        setText('');
        onCancel();
      }}
      destroyOnHidden
    >
      {/* A label in sight, not a placeholder: typed into, the box would no longer say what it is for. */}
      <label htmlFor={id} style={{ display: 'block', marginBottom: 8 }}>
        {label}
      </label>
      <Input.TextArea id={id} rows={3} value={text} onChange={(e) => setText(e.target.value)} autoFocus />
    </Modal>
  );
}
