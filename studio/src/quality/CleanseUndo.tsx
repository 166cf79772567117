// Undo a cleansing run: its dry run first (records it would put back, and records changed since —
// listed, left alone), then the undo itself.

import { UndoOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, List, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { cleanseJobKey, qualityReportKey, undoCleanse, type CleanseJob } from '../api/quality.ts';
import { ApiErrorAlert } from '../admin/DryRunDialog.tsx';
import { PageLoading } from '../app/PageStates.tsx';

export function CleanseUndo({ job, entity }: { job: CleanseJob; entity: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const report = useQuery({ queryKey: ['quality', 'undoDryRun', job.id], queryFn: () => undoCleanse(job.id, true), enabled: open, gcTime: 0, staleTime: 0, retry: false });
  const undoing = useMutation({
    mutationFn: () => undoCleanse(job.id, false),
    onSuccess: () => {
      setOpen(false);
      void client.invalidateQueries({ queryKey: cleanseJobKey(job.id) });
      void client.invalidateQueries({ queryKey: qualityReportKey(entity) });
    },
  });
  return (
    <>
      <Button icon={<UndoOutlined />} onClick={() => setOpen(true)} style={{ marginTop: 12 }} data-testid="cleanse-undo">
        {t('dataQuality.undo')}
      </Button>
      <Modal
        open={open}
        title={t('dataQuality.undoTitle')}
        okText={t('dataQuality.undoConfirm')}
        okButtonProps={{ danger: true, disabled: !report.data, loading: undoing.isPending, 'data-testid': 'cleanse-undo-confirm' } as never}
        cancelText={t('dataQuality.cancel')}
        onOk={() => undoing.mutate()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        {report.isPending && <PageLoading />}
        {report.isError && <ApiErrorAlert error={report.error} />}
        {report.data && (
          <div data-testid="cleanse-undo-report" data-restored={report.data.restored} data-changed-since={report.data.changedSince.length}>
            <Typography.Paragraph>{t('dataQuality.undoWould', { restored: report.data.restored })}</Typography.Paragraph>
            {report.data.changedSince.length > 0 && (
              <>
                <Alert type="warning" showIcon title={t('dataQuality.undoChangedSince', { count: report.data.changedSince.length })} />
                <List
                  size="small"
                  dataSource={report.data.changedSince}
                  renderItem={(c) => (
                    <List.Item key={c.id}>
                      <Link to={`/e/${entity}/${c.id}`} onClick={() => setOpen(false)}>{c.id}</Link>
                    </List.Item>
                  )}
                />
              </>
            )}
          </div>
        )}
        {undoing.isError && <ApiErrorAlert error={undoing.error} />}
      </Modal>
    </>
  );
}
