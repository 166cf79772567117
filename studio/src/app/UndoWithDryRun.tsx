// An undo that shows its dry run before it does anything: what it would put back, and the records
// changed since (listed with links, left alone); the undo itself runs on confirmation. Undoing an
// import and undoing a cleansing run share it, so both say the same things the same way.

import { UndoOutlined } from './icons.tsx';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, List, Modal } from 'antd';
import { useState, type CSSProperties, type ReactNode } from 'react';
import { Link } from 'react-router';
import { ApiErrorAlert } from '../admin/DryRunDialog.tsx';
import { PageLoading } from './PageStates.tsx';
import { useSubmitOnce } from './use-submit-once.ts';

export interface UndoDryRun {
  changedSince: { id: string; entity?: string }[];
}

export function UndoWithDryRun<R extends UndoDryRun>(props: {
  /** The dry run's query key (asked each time the dialog opens, never cached). */
  dryRunKey: readonly unknown[];
  dryRun: () => Promise<R>;
  undo: () => Promise<unknown>;
  onUndone: () => void;
  /** The entity of changed records whose report names none. */
  entity?: string;
  labels: { button: string; title: string; confirm: string; cancel: string; changedSince: (count: number) => string };
  /** What the undo would do, from its dry run. */
  describe: (report: R) => ReactNode;
  /** `testId` on the button; `${testIdPrefix}-confirm` and `${testIdPrefix}-report` inside the dialog. */
  testId: string;
  testIdPrefix: string;
  /** Extra attributes of the report (tests read counts from them). */
  reportData?: (report: R) => Record<`data-${string}`, string | number>;
  size?: 'small';
  style?: CSSProperties;
}) {
  const [open, setOpen] = useState(false);
  const report = useQuery({ queryKey: props.dryRunKey, queryFn: props.dryRun, enabled: open, gcTime: 0, staleTime: 0, retry: false });
  const undoing = useMutation({
    mutationFn: props.undo,
    onSuccess: () => {
      setOpen(false);
      props.onUndone();
    },
  });
  const undo = useSubmitOnce(undoing);
  const { labels } = props;
  return (
    <>
      <Button size={props.size} icon={<UndoOutlined />} onClick={() => setOpen(true)} style={props.style} data-testid={props.testId}>
        {labels.button}
      </Button>
      <Modal
        open={open}
        title={labels.title}
        okText={labels.confirm}
        okButtonProps={{ danger: true, disabled: !report.data, loading: undoing.isPending, 'data-testid': `${props.testIdPrefix}-confirm` } as never}
        cancelText={labels.cancel}
        onOk={() => undo()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        {report.isPending && <PageLoading />}
        {report.isError && <ApiErrorAlert error={report.error} />}
        {report.data && (
          <div data-testid={`${props.testIdPrefix}-report`} data-changed-since={report.data.changedSince.length} {...props.reportData?.(report.data)}>
            {props.describe(report.data)}
            {report.data.changedSince.length > 0 && (
              <>
                <Alert type="warning" showIcon title={labels.changedSince(report.data.changedSince.length)} />
                <List
                  size="small"
                  // Thousands of records may have changed since a large import.
                  pagination={report.data.changedSince.length > 10 ? { pageSize: 10, size: 'small', showSizeChanger: false } : false}
                  dataSource={report.data.changedSince}
                  renderItem={(changed) => {
                    const entity = changed.entity ?? props.entity;
                    return (
                      <List.Item key={`${entity}/${changed.id}`}>
                        {entity ? <Link to={`/e/${entity}/${changed.id}`} onClick={() => setOpen(false)}>{changed.id}</Link> : changed.id}
                      </List.Item>
                    );
                  }}
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
