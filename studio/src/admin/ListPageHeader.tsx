// The heading of a designer's list page (entities' forms, views, dashboards, workflows) with the
// button that starts a new item beside it, wrapping under it on a phone.

import { Button, Space, Typography } from 'antd';

export function ListPageHeader({ title, newLabel, onNew }: { title: string; newLabel: string; onNew: () => void }) {
  return (
    <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
      <Typography.Title level={1} style={{ fontSize: 22, marginTop: 0 }}>
        {title}
      </Typography.Title>
      <Button type="primary" onClick={onNew}>{newLabel}</Button>
    </Space>
  );
}
