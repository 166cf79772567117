// An undo that shows its dry run before it does anything: what it would put back, and the records
// changed since (each by its title, linked, and its entity's label; left alone); the undo itself runs on confirmation. Undoing an
// import and undoing a cleansing run share it, so both say the same things the same way.

import { UndoOutlined } from './icons.tsx';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Modal, Pagination } from 'antd';
import { useState, type CSSProperties, type ReactNode } from 'react';
import { ApiErrorAlert } from '../admin/DryRunDialog.tsx';
import { EntityRecordList, type ListedRecord } from '../records/EntityRecordList.tsx';
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
                <ChangedRecords records={report.data.changedSince.map((changed) => ({ entity: changed.entity ?? props.entity ?? '', id: changed.id }))} />
              </>
            )}
          </div>
        )}
        {undoing.isError && <ApiErrorAlert error={undoing.error} />}
      </Modal>
    </>
  );
}

/** Records changed since, ten at a time (thousands may have changed since a large import): titles asked for the page shown. */
function ChangedRecords({ records }: { records: ListedRecord[] }) {
  const [page, setPage] = useState(1);
  const size = 10;
  return (
    <div style={{ marginTop: 8 }}>
      <EntityRecordList records={records.slice((page - 1) * size, page * size)} />
      {records.length > size && <Pagination size="small" current={page} pageSize={size} total={records.length} showSizeChanger={false} onChange={setPage} style={{ marginTop: 8 }} />}
    </div>
  );
}
