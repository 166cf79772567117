// The page of a record a merge of duplicates took into another: a bookmark or a link to the old
// address leads on to the record it went into (the server names it only when the user may read it).

import { Alert, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../api/client.ts';
import { useLanguage } from '../app/use-language.ts';
import type { Label } from '../i18n/language.ts';

export interface MergedInto {
  entity: string;
  id: string;
  title?: string;
}

/** The survivor a 404 names (`error.mergedInto`), if the error is such a 404. */
export function mergedIntoOf(error: unknown): MergedInto | undefined {
  if (!(error instanceof ApiError) || error.status !== 404) return undefined;
  const into = (error.body as { error?: { mergedInto?: unknown } } | undefined)?.error?.mergedInto;
  if (!into || typeof into !== 'object') return undefined;
  const { entity, id, title } = into as Record<string, unknown>;
  if (typeof entity !== 'string' || typeof id !== 'string') return undefined;
  return { entity, id, ...(typeof title === 'string' ? { title } : {}) };
}

export function MergedAway({ into, entityLabel, entityName }: { into: MergedInto; entityLabel: Label; entityName: string }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const entity = label(entityLabel, entityName);
  const title = into.title ?? t('mergedAway.untitled', { entity, id: into.id });
  return (
    <div data-testid="merged-away">
      <Result
        status="info"
        title={<h1 style={{ fontSize: 'inherit', fontWeight: 'inherit', margin: 0 }}>{t('mergedAway.title', { entity })}</h1>}
        subTitle={t('mergedAway.into', { entity })}
        extra={
          <Link to={`/e/${encodeURIComponent(into.entity)}/${encodeURIComponent(into.id)}`} data-testid="merged-into-link" style={{ overflowWrap: 'anywhere' }}>
            {title}
          </Link>
        }
      />
    </div>
  );
}

/**
 * A save refused because the record was merged away while it was open: the edits were not saved,
 * and the record it went into is a link away (the edits are to be made there).
 */
export function MergedAwayOnSave({ into, entityLabel, entityName }: { into: MergedInto; entityLabel: Label; entityName: string }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const entity = label(entityLabel, entityName);
  return (
    <Alert
      type="warning"
      showIcon
      role="alert"
      style={{ marginBottom: 12 }}
      data-testid="save-merged-away"
      title={t('mergedAway.notSaved', { entity })}
      description={
        <Link to={`/e/${encodeURIComponent(into.entity)}/${encodeURIComponent(into.id)}`} data-testid="save-merged-into-link" style={{ overflowWrap: 'anywhere' }}>
          {into.title ?? t('mergedAway.untitled', { entity, id: into.id })}
        </Link>
      }
    />
  );
}
