// Every step of the admin area goes through this dialog: it asks the server for the dry run when it
// opens, shows it, and applies only when the admin confirms (and the dry run found nothing that
// refuses it). The real answer is handed back; an error answer is shown in place.

import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Modal, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { ErrorState, PageLoading } from '../app/PageStates.tsx';
import type { DryRunModel } from './dry-run-model.ts';
import { DryRunView } from './DryRunView.tsx';

export interface DryRunDialogProps<D, A> {
  /** Undefined: closed. Its key identifies the step (the dry run is asked again for another step). */
  step: { key: string; title: string; confirmLabel: string; danger?: boolean } | undefined;
  dryRun: () => Promise<D>;
  toModel: (report: D) => DryRunModel;
  /** Applies the step the dry run was shown for (given that dry run's answer). */
  apply: (report: D) => Promise<A>;
  onApplied: (answer: A) => void;
  onClose: () => void;
  /** Something more to show under the dry run (e.g. options the admin may still change). */
  extra?: React.ReactNode;
}

/** `nameOf` names a detail's pointer for a person (a record's title, a field's label); else the pointer is shown. */
export function ApiErrorAlert({ error, nameOf }: { error: unknown; nameOf?: (path: string) => string | undefined }) {
  const { t } = useTranslation();
  const details = error instanceof ApiError ? error.details : [];
  const place = (path: string) => {
    const name = nameOf?.(path);
    return name === undefined ? <code>{path}</code> : <strong>{name}:</strong>;
  };
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={error instanceof Error ? error.message : t('app.error')}
      description={details.length > 0 ? <ul style={{ margin: 0, paddingInlineStart: 18 }}>{details.map((d, i) => <li key={i}>{place(d.path)} {d.message}</li>)}</ul> : undefined}
    />
  );
}

export function DryRunDialog<D, A>({ step, dryRun, toModel, apply, onApplied, onClose, extra }: DryRunDialogProps<D, A>) {
  const { t } = useTranslation();
  const report = useQuery({ queryKey: ['dryRun', step?.key], queryFn: dryRun, enabled: step !== undefined, gcTime: 0, staleTime: 0, retry: false });
  const applying = useMutation({ mutationFn: (report: D) => apply(report), onSuccess: (answer) => onApplied(answer) });
  const model = report.data !== undefined ? toModel(report.data) : undefined;
  const refused = model !== undefined && model.issues.length > 0;
  const close = () => {
    applying.reset();
    onClose();
  };
  return (
    <Modal
      open={step !== undefined}
      title={step?.title}
      onCancel={close}
      width={960}
      destroyOnHidden
      footer={
        <Space wrap>
          <Button onClick={close}>{t('dryRun.cancel')}</Button>
          <Button
            type="primary"
            danger={step?.danger}
            disabled={model === undefined || refused}
            loading={applying.isPending}
            onClick={() => report.data !== undefined && applying.mutate(report.data)}
            data-testid="dry-run-confirm"
          >
            {step?.confirmLabel}
          </Button>
        </Space>
      }
    >
      <div aria-live="polite">
        {extra}
        {report.isPending && <PageLoading />}
        {report.isError && <ErrorState error={report.error} retry={() => void report.refetch()} />}
        {model && (
          <>
            <Alert type="info" showIcon title={t('dryRun.intro')} style={{ margin: '12px 0' }} />
            <DryRunView report={model} />
          </>
        )}
        {applying.isError && (
          <div style={{ marginTop: 12 }}>
            <ApiErrorAlert error={applying.error} />
          </div>
        )}
      </div>
    </Modal>
  );
}
