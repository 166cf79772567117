// Every form with its entity, each opening the form designer; a new form starts with one section
// holding every field of its entity, and is made the entity's default when it has none yet.

import { Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { MetaDocument } from '../../api/designer.ts';
import { useMetaKind } from '../../api/meta.ts';
import { useLanguage } from '../../app/use-language.ts';
import { NewItemDialog } from '../impact/NewItemDialog.tsx';
import { ListPageHeader } from '../ListPageHeader.tsx';
import { ResponsiveTable } from '../../app/ResponsiveTable.tsx';

export default function FormListPage() {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const forms = useMetaKind('forms');
  const entities = useMetaKind('entities');
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const rows = [...(forms.data?.values() ?? [])].sort((a, b) => a.entity.localeCompare(b.entity) || a.name.localeCompare(b.name));
  return (
    <div>
      <ListPageHeader title={t('formDesigner.listTitle')} newLabel={t('formDesigner.newForm')} onNew={() => setCreating(true)} />
      <NewItemDialog
        id="new-form"
        title={t('formDesigner.newForm')}
        open={creating}
        onClose={() => setCreating(false)}
        taken={(n) => forms.data?.has(n) ?? false}
        entities={[...(entities.data?.values() ?? [])].sort((a, b) => a.name.localeCompare(b.name))}
        build={({ name, entity, label: formLabel }) => {
          const on = entity!;
          const hasDefault = rows.some((f) => f.entity === on.name && f.default);
          const fields = Object.fromEntries(Object.keys(on.fields).map((f, i) => [f, { order: (i + 1) * 10 }]));
          return { kind: 'form', name, entity: on.name, label: formLabel, ...(hasDefault ? {} : { default: true }), sections: { main: { order: 10, label: on.label ?? on.name, columns: 2, fields } } } as MetaDocument;
        }}
        onApplied={(name) => void navigate(`/admin/forms/${name}`)}
      />
      <ResponsiveTable
        size="small"
        loading={forms.isPending}
        rowKey="name"
        dataSource={rows}
        pagination={false}
        scroll={{ x: 480 }}
        columns={[
          { title: t('formDesigner.form'), render: (_, f) => <Link to={`/admin/forms/${f.name}`}>{label(f.label, f.name)}</Link> },
          { title: t('formDesigner.entity'), render: (_, f) => label(entities.data?.get(f.entity)?.label, f.entity) },
          { title: t('formDesigner.isDefault'), render: (_, f) => (f.default ? <Tag color="blue">{t('formDesigner.yes')}</Tag> : null) },
        ]}
      />
    </div>
  );
}
