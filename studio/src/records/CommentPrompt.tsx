// Asks for a transition's comment (required or optional) before it is taken.

import { Input, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

export function CommentPrompt({ open, title, required, onOk, onCancel }: { open: boolean; title: string; required: boolean; onOk: (comment: string) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
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
      <Input.TextArea aria-label={required ? t('record.commentRequired') : t('record.comment')} placeholder={required ? t('record.commentRequired') : t('record.comment')} rows={3} value={text} onChange={(e) => setText(e.target.value)} autoFocus />
    </Modal>
  );
}
