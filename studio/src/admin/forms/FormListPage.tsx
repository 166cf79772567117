// Every form with its entity, each opening the form designer.

import { Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMetaKind } from '../../api/meta.ts';
import { useLanguage } from '../../app/use-language.ts';

export default function FormListPage() {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const forms = useMetaKind('forms');
  const entities = useMetaKind('entities');
  const rows = [...(forms.data?.values() ?? [])].sort((a, b) => a.entity.localeCompare(b.entity) || a.name.localeCompare(b.name));
  return (
    <div>
      <Typography.Title level={1} style={{ fontSize: 22, marginTop: 0 }}>
        {t('formDesigner.listTitle')}
      </Typography.Title>
      <Table
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
