// The admin home (/admin): every designer as a card, in the order of adminSections.

import { Card, Col, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { adminSections } from './admin-sections.ts';

export default function AdminHome() {
  const { t } = useTranslation();
  return (
    <div>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('admin.area')}
      </Typography.Title>
      <Typography.Paragraph>{t('admin.intro')}</Typography.Paragraph>
      <Row gutter={[16, 16]} role="list" aria-label={t('admin.designers')}>
        {adminSections.map((section) => {
          const Icon = section.icon;
          return (
            <Col key={section.key} xs={24} md={12} xl={8} role="listitem">
              <Link to={`/admin/${section.path}`} data-testid={`admin-card-${section.key}`} style={{ display: 'block', height: '100%' }}>
                <Card hoverable style={{ height: '100%' }}>
                  <Card.Meta avatar={<Icon />} title={t(section.titleKey)} description={<span style={{ color: '#4b5563' }}>{t(section.descriptionKey)}</span>} />
                </Card>
              </Link>
            </Col>
          );
        })}
      </Row>
    </div>
  );
}
