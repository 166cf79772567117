// Below a mapped column's field: for a lookup, the field of the looked-up entity the column's text
// is matched against (account by name, product by code; that field's cleansing rules apply first,
// on the server); for any field, a transform in JSONata over the row, which the server evaluates in
// place of the column's text — the API has no preview of it, so the dry run checks it and a
// transform it refuses is shown here, at its column.

import { Button, Flex, Input, Typography } from 'antd';
import { Select } from '../app/localized-controls.tsx';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useEntities, type EntityDef } from '../api/meta.ts';
import { useLanguage } from '../app/use-language.ts';
import type { Draft } from './mapping-model.ts';

/** Field types whose value can name one record (a key the old system's file holds). */
const keyTypes = new Set(['text', 'email', 'phone', 'url', 'autonumber', 'integer', 'number']);

export function ColumnExtras(props: { entity: EntityDef; column: string; field: string; draft: Draft; onDraft: (d: Draft) => void; error?: string }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const entities = useEntities();
  const { entity, column, field, draft, onDraft } = props;
  const helpId = useId();
  const def = entity.fields[field];
  const lookup = draft.lookups[field];
  const to = def?.type === 'lookup' && typeof def.to === 'string' ? entities.data?.get(def.to) : undefined;
  const transform = draft.transforms[field];
  const setTransform = (expression: string | undefined) => {
    const transforms = { ...draft.transforms };
    if (expression === undefined) delete transforms[field];
    else transforms[field] = expression;
    onDraft({ ...draft, transforms });
  };

  return (
    <Flex vertical gap={4} style={{ maxWidth: 440 }}>
      {lookup && to && (
        <Flex vertical gap={2}>
          <Flex gap={8} align="center" wrap>
            <Typography.Text type="secondary">{t('importWizard.matchBy', { entity: label(to.label, to.name) })}</Typography.Text>
            <Select
              size="small"
              aria-label={t('importWizard.matchByFor', { column })}
              aria-describedby={`${helpId}-lookup`}
              style={{ minWidth: 160 }}
              value={lookup.by}
              data-testid={`import-lookup-by-${field}`}
              options={[
                ...Object.entries(to.fields).filter(([, f]) => keyTypes.has(f.type)).map(([name, f]) => ({ value: name, label: `${label(f.label, name)}${f['unique'] ? ` (${t('importWizard.unique')})` : ''}` })),
                { value: 'id', label: t('importWizard.recordId') },
              ]}
              onChange={(by: string) => onDraft({ ...draft, lookups: { ...draft.lookups, [field]: { by } } })}
            />
          </Flex>
          <Typography.Text type="secondary" id={`${helpId}-lookup`} style={{ fontSize: 12 }}>
            {t('importWizard.matchByHelp', { entity: label(to.label, to.name), field: label(to.fields[lookup.by]?.label, lookup.by === 'id' ? t('importWizard.recordId') : lookup.by) })}
          </Typography.Text>
        </Flex>
      )}
      {transform === undefined ? (
        <Button type="link" size="small" style={{ padding: 0, alignSelf: 'flex-start' }} onClick={() => setTransform('')} data-testid={`import-add-transform-${field}`} aria-label={t('importWizard.addTransformFor', { column })}>
          {t('importWizard.addTransform')}
        </Button>
      ) : (
        <Flex vertical gap={2}>
          <Input.TextArea
            autoSize={{ minRows: 1, maxRows: 4 }}
            aria-label={t('importWizard.transformFor', { column })}
            aria-describedby={`${helpId}-transform`}
            aria-invalid={props.error ? true : undefined}
            status={props.error ? 'error' : undefined}
            style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace' }}
            placeholder={`$uppercase(${/^[A-Za-z_][A-Za-z0-9_]*$/.test(column) ? column : `\`${column}\``})`}
            value={transform}
            onChange={(e) => setTransform(e.target.value)}
            data-testid={`import-transform-${field}`}
          />
          {props.error && (
            <Typography.Text type="danger" role="alert" data-testid={`import-transform-error-${field}`}>
              {props.error}
            </Typography.Text>
          )}
          <Flex gap={8} align="baseline" wrap>
            <Typography.Text type="secondary" id={`${helpId}-transform`} style={{ fontSize: 12, flex: 1, minWidth: 200 }}>
              {t('importWizard.transformHelp')}
            </Typography.Text>
            <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setTransform(undefined)} aria-label={t('importWizard.removeTransformFor', { column })}>
              {t('importWizard.removeTransform')}
            </Button>
          </Flex>
        </Flex>
      )}
    </Flex>
  );
}
