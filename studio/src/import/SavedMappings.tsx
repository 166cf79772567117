// Saved mappings: load one made before — the admin's own or one a template ships — for this entity,
// or (administrators) save the current one by name, to use again or from the CLI (`crm import`).

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Flex, Input, Typography } from 'antd';
import { Select } from '../app/localized-controls.tsx';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getMapping, listMappings, saveMapping } from '../api/imports.ts';
import type { EntityDef } from '../api/meta.ts';
import { ApiErrorAlert } from '../admin/DryRunDialog.tsx';
import { useSession } from '../app/session.tsx';
import { useSubmitOnce } from '../app/use-submit-once.ts';
import { useLanguage } from '../app/use-language.ts';
import { draftFromMapping, mappingName, toMapping, type Draft } from './mapping-model.ts';

const mappingsKey = ['import', 'mappings'] as const;

export function SavedMappings({ entity, draft, onDraft }: { entity: EntityDef; draft: Draft; onDraft: (d: Draft) => void }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const { message } = App.useApp();
  const { me } = useSession();
  const client = useQueryClient();
  const mappings = useQuery({ queryKey: mappingsKey, queryFn: listMappings });
  const [name, setName] = useState(draft.base?.name || mappingName(entity.name));
  const loading = useMutation({ mutationFn: getMapping, onSuccess: (mapping) => {
    onDraft(draftFromMapping(entity, mapping));
    setName(mapping.name);
  } });
  const saving = useMutation({
    mutationFn: () => saveMapping(toMapping(draft, name)),
    onSuccess: (saved) => {
      void message.success(t('importWizard.mappingSaved', { name: saved.name }));
      onDraft({ ...draft, base: saved });
      void client.invalidateQueries({ queryKey: mappingsKey });
    },
  });
  const save = useSubmitOnce(saving);
  const options = (mappings.data ?? [])
    .filter((m) => m.targets.includes(entity.name))
    .map((m) => ({ value: m.name, label: `${label(m.label, m.name)} · ${m.source === 'saved' ? t('importWizard.savedHere') : t('importWizard.fromTemplate', { template: m.source.replace(/^template:/, '') })}` }));

  return (
    <Card title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('importWizard.savedTitle')}</Typography.Title>} size="small">
      <Flex gap={16} wrap align="end">
        <Flex vertical gap={4} style={{ flex: '1 1 260px' }}>
          <label htmlFor="import-load-mapping">{t('importWizard.loadMapping')}</label>
          <Select
            id="import-load-mapping"
            placeholder={options.length === 0 ? t('importWizard.noSavedMappings') : t('importWizard.chooseMapping')}
            disabled={options.length === 0}
            // A mapping not saved yet (an added target made one) is no saved mapping to show. Null, not
            // undefined: an undefined value leaves the select to itself, and it showed a mapping picked
            // as if loaded while it was still on its way (or had failed to load).
            value={options.some((o) => o.value === draft.base?.name) ? draft.base?.name : null}
            options={options}
            loading={mappings.isPending || loading.isPending}
            onChange={(value: string) => loading.mutate(value)}
            data-testid="import-load-mapping"
          />
        </Flex>
        {me?.admin && (
          <Flex vertical gap={4} style={{ flex: '1 1 260px' }}>
            <label htmlFor="import-mapping-name">{t('importWizard.saveAs')}</label>
            <Flex gap={8}>
              <Input id="import-mapping-name" value={name} onChange={(e) => setName(e.target.value)} />
              <Button onClick={() => save()} loading={saving.isPending} data-testid="import-save-mapping">
                {t('importWizard.save')}
              </Button>
            </Flex>
          </Flex>
        )}
      </Flex>
      {(loading.isError || saving.isError) && <div style={{ marginTop: 12 }}><ApiErrorAlert error={loading.error ?? saving.error} /></div>}
    </Card>
  );
}
