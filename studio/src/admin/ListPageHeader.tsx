// The heading of a designer's list page (entities' forms, views, dashboards, workflows) with the
// button that starts a new item beside it, wrapping under it on a phone.

import { Button, Space, Typography } from 'antd';

export function ListPageHeader({ title, newLabel, onNew }: { title: string; newLabel: string; onNew: () => void }) {
  return (
    // The heading's own bottom margin moved to the row: on the heading, it pushed the button below the
    // heading's middle and left it touching the list under it.
    <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} align="center" wrap>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {title}
      </Typography.Title>
      <Button type="primary" onClick={onNew}>{newLabel}</Button>
    </Space>
  );
}
