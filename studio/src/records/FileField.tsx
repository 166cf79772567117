// The `file` field in a record form (an rjsf custom field): the current files as download links,
// each removable, and an upload button. An upload goes to the server at once (POST /api/files) and
// its descriptor joins the value; the record's save claims it. Server refusals (too large, wrong
// type) show under the field in the user's language, as the server words them.

import { DeleteOutlined, PaperClipOutlined, UploadOutlined } from '../app/icons.tsx';
import type { FieldProps } from '@rjsf/utils';
import { Button, Space, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { fileUrl, uploadFile, type FileDescriptor } from '../api/files.ts';
import type { FieldDef } from '../api/meta.ts';
import '../i18n/features.ts';

/** Which record the form edits: files are uploaded for its entity (and for the record, once it exists). */
export interface FileTarget {
  entity?: string;
  recordId?: string;
}

const asList = (value: unknown): FileDescriptor[] => (Array.isArray(value) ? value : value ? [value] : []).filter((f): f is FileDescriptor => typeof f === 'object' && f !== null && typeof (f as { id?: unknown }).id === 'string');

function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

export function FileField(props: FieldProps) {
  const { t } = useTranslation();
  const field = ((props.uiSchema?.['ui:options'] as { field?: FieldDef } | undefined)?.field ?? { type: 'file' }) as FieldDef & { multiple?: boolean; maxItems?: number; contentTypes?: string[] };
  const target = (props.registry.formContext as { target?: FileTarget } | undefined)?.target ?? {};
  const files = asList(props.formData);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const label = String(props.schema.title ?? props.name);
  const readOnly = Boolean(props.readonly || props.disabled || props.uiSchema?.['ui:readonly']);
  const id = props.fieldPathId.$id;
  const full = field.multiple ? files.length >= (field.maxItems ?? 10) : false;

  const setFiles = (next: FileDescriptor[]) => props.onChange((field.multiple ? next : next[0]) as never, props.fieldPathId.path);

  const upload = async (file: File) => {
    if (!target.entity) return;
    setBusy(true);
    setError(undefined);
    try {
      const uploaded = await uploadFile({ entity: target.entity, field: props.name, ...(target.recordId ? { recordId: target.recordId } : {}), file });
      setFiles(field.multiple ? [...files, uploaded] : [uploaded]);
    } catch (e) {
      setError(e instanceof ApiError ? [e.message, ...e.details.map((d) => d.message)].join(': ') : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ marginBottom: 24 }}>
      <label htmlFor={`${id}_upload`} style={{ display: 'block', paddingBottom: 8 }}>
        {label}
        {props.required && <span aria-hidden> *</span>}
      </label>
      <Space orientation="vertical" size={4} style={{ width: '100%' }}>
        {files.length === 0 && <Typography.Text type="secondary">{t('fileField.none')}</Typography.Text>}
        {files.length > 0 && (
          <ul aria-label={t('fileField.listLabel', { field: label })} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {files.map((f) => (
              <li key={f.id} style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
                <PaperClipOutlined aria-hidden />
                <a href={fileUrl(f.id)} download={f.name}>
                  {f.name}
                </a>
                <Typography.Text type="secondary">{sizeText(f.size)}</Typography.Text>
                {!readOnly && (
                  <Button size="small" type="text" icon={<DeleteOutlined />} aria-label={t('fileField.remove', { name: f.name })} onClick={() => setFiles(files.filter((other) => other.id !== f.id))} />
                )}
              </li>
            ))}
          </ul>
        )}
        {!readOnly && (
          <Upload
            showUploadList={false}
            multiple={false}
            accept={field.contentTypes?.join(',')}
            disabled={busy || full || !target.entity}
            customRequest={({ file }) => void upload(file as File)}
          >
            <Button id={`${id}_upload`} icon={<UploadOutlined />} loading={busy} disabled={busy || full || !target.entity}>
              {files.length > 0 && !field.multiple ? t('fileField.replace') : t('fileField.upload')}
            </Button>
          </Upload>
        )}
        {error && (
          <Typography.Text type="danger" role="alert">
            {error}
          </Typography.Text>
        )}
        {props.rawErrors?.map((message) => (
          <Typography.Text key={message} type="danger">
            {message}
          </Typography.Text>
        ))}
      </Space>
    </div>
  );
}
