// Upload a template: a .tgz archive as is, or a folder packed into one in the browser. The server
// checks the package and keeps it; the gallery then lists it as an available version to install
// or upgrade to (through the same dry run as a bundled one).

import { FolderOpenOutlined, UploadOutlined } from '../app/icons.tsx';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Space } from 'antd';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { uploadTemplate, type UploadedTemplate } from '../api/templates.ts';
import { ApiErrorAlert } from '../admin/DryRunDialog.tsx';
import { useLanguage } from '../app/use-language.ts';
import { packFolder } from './pack-folder.ts';

export function UploadTemplate({ onUploaded }: { onUploaded: (t: UploadedTemplate) => void }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const archiveInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const upload = useMutation({
    mutationFn: async (files: File[]) => uploadTemplate(files.length === 1 && !files[0]!.webkitRelativePath ? files[0]! : await packFolder(files)),
    onSuccess: onUploaded,
  });
  const picked = (list: FileList | null, input: HTMLInputElement | null) => {
    const files = [...(list ?? [])];
    if (input) input.value = '';
    if (files.length > 0) upload.mutate(files);
  };
  return (
    <div>
      <input ref={archiveInput} type="file" accept=".tgz,.tar.gz,application/gzip" style={{ display: 'none' }} aria-label={t('gallery.uploadArchive')} data-testid="upload-archive" onChange={(e) => picked(e.target.files, e.target)} />
      <input ref={folderInput} type="file" {...{ webkitdirectory: '' }} multiple style={{ display: 'none' }} aria-label={t('gallery.uploadFolder')} data-testid="upload-folder" onChange={(e) => picked(e.target.files, e.target)} />
      <Space wrap>
        <Button icon={<UploadOutlined />} loading={upload.isPending} onClick={() => archiveInput.current?.click()}>
          {t('gallery.uploadArchive')}
        </Button>
        <Button icon={<FolderOpenOutlined />} loading={upload.isPending} onClick={() => folderInput.current?.click()}>
          {t('gallery.uploadFolder')}
        </Button>
      </Space>
      {upload.isError && <div style={{ marginTop: 12 }}><ApiErrorAlert error={upload.error} /></div>}
      {upload.isSuccess && (
        <Alert
          style={{ marginTop: 12 }}
          type="success"
          showIcon
          closable
          data-testid="upload-done"
          title={t('gallery.uploaded_done', { template: label(upload.data.title, upload.data.name), version: upload.data.version })}
        />
      )}
    </div>
  );
}
