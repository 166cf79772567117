// Who owns the record, by name, and handing it to someone else (POST …/reassign, the reassign
// grant). Offered when a role grants reassigning the entity; whether this record is within that
// grant's scope is the server's answer, and a refusal shows its reason. The request goes in turn
// with the form's saves (`inTurn`): one waits for a Save on its way and takes the version it wrote,
// and a Save clicked meanwhile (the dialog closed) waits for it and carries its version. Cancelled
// while it still waits its turn, it is withdrawn and never sent; once sent, it runs to its end.

import { SwapOutlined } from '../app/icons.tsx';
import { Alert, App, Button, Modal, Space, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { useEntityAccess } from '../api/meta.ts';
import { reassignRecord, type RecordValues } from '../api/records.ts';
import '../i18n/features.ts';
import { UserSelect } from './LookupSelect.tsx';
import { usePeopleNames } from './people.ts';

/** A reassignment cancelled before its turn came: not sent. */
class Withdrawn extends Error {}

export function OwnerBar(props: {
  entity: string;
  record: RecordValues;
  title: string;
  /** Runs the reassignment in turn with the form's saves, on the record as stored when its turn comes. */
  inTurn?: <T extends { record?: RecordValues | undefined }>(take: (stored: RecordValues) => Promise<T>) => Promise<T>;
  onDone: (updated: RecordValues) => void;
}) {
  const { entity, record, title, inTurn, onDone } = props;
  const { t } = useTranslation();
  const { message } = App.useApp();
  const owner = typeof record['owner'] === 'string' ? record['owner'] : undefined;
  const can = useEntityAccess(entity);
  const [open, setOpen] = useState(false);
  const [next, setNext] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  // The reassignment confirmed last: whether its request went out, and whether it was cancelled before.
  const attempt = useRef<{ sent: boolean; withdrawn: boolean }>(undefined);
  const names = usePeopleNames([owner, next]);
  const nameOf = (id: string | undefined) => (id ? (names.data?.get(id) ?? (names.isPending ? '…' : id)) : t('owner.none'));

  const submit = async () => {
    if (!next || next === owner) {
      setError(t('owner.same'));
      return;
    }
    setBusy(true);
    setError(undefined);
    const mine = { sent: false, withdrawn: false };
    attempt.current = mine;
    try {
      const reassign = async (stored: RecordValues) => {
        if (mine.withdrawn) throw new Withdrawn();
        mine.sent = true;
        return { record: await reassignRecord(entity, stored.id, next, stored.version) };
      };
      const { record: updated } = await (inTurn ? inTurn(reassign) : reassign(record));
      void message.success(t('owner.done', { name: nameOf(next) }));
      setOpen(false);
      setNext(undefined);
      onDone(updated);
    } catch (e) {
      if (e instanceof Withdrawn) {
        setNext(undefined);
        void message.info(t('owner.withdrawn'));
        return;
      }
      setError(e instanceof ApiError ? [e.message, ...e.details.map((d) => d.message)].join(': ') : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space size={4} wrap>
      <Typography.Text type="secondary">{t('owner.label')}:</Typography.Text>
      <Typography.Text data-testid="record-owner">{nameOf(owner)}</Typography.Text>
      {can('reassign') && (
        <Button size="small" type="link" icon={<SwapOutlined />} onClick={() => setOpen(true)}>
          {t('owner.reassign')}
        </Button>
      )}
      <Modal
        open={open}
        title={t('owner.dialogTitle', { title })}
        okText={t('owner.confirm')}
        okButtonProps={{ loading: busy, disabled: !next }}
        onOk={() => void submit()}
        onCancel={() => {
          if (busy && attempt.current && !attempt.current.sent) attempt.current.withdrawn = true;
          setOpen(false);
          setError(undefined);
        }}
        destroyOnHidden
      >
        <label htmlFor="reassign-owner" style={{ display: 'block', paddingBottom: 8 }}>
          {t('owner.newOwner')}
        </label>
        <UserSelect id="reassign-owner" value={next} onChange={setNext} ariaLabel={t('owner.newOwner')} />
        {error && <Alert style={{ marginTop: 12 }} type="error" showIcon role="alert" title={error} />}
      </Modal>
    </Space>
  );
}
