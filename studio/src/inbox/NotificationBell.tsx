// The header's bell: the unread count as a badge; opens the latest notifications, each opening its
// record and markable as read.

import { BellOutlined } from '../app/icons.tsx';
import { Badge, Button, List, Popover, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { RecentTime } from '../app/RecentTime.tsx';
import { useMarkRead, useNotifications } from './inbox-queries.ts';

export function NotificationBell() {
  const { t } = useTranslation();
  const notifications = useNotifications();
  const markRead = useMarkRead();
  const [open, setOpen] = useState(false);
  const items = notifications.data ?? [];
  const unread = items.filter((n) => !n.readAt).length;
  const content = (
    <div style={{ width: 'min(360px, 86vw)', maxHeight: 420, overflow: 'auto' }} data-testid="notifications">
      <List
        size="small"
        locale={{ emptyText: t('inbox.noNotifications') }}
        dataSource={items.slice(0, 20)}
        renderItem={(n) => (
          <List.Item
            data-unread={n.readAt ? undefined : 'true'}
            actions={n.readAt ? [] : [<Button key="read" size="small" type="link" onClick={() => markRead.mutate(n.id)} aria-label={t('inbox.markReadOf', { subject: n.subject })}>{t('inbox.markRead')}</Button>]}
          >
            <List.Item.Meta
              title={n.entity && n.recordId ? <Link to={`/e/${n.entity}/${n.recordId}`} onClick={() => setOpen(false)} style={{ fontWeight: n.readAt ? 400 : 600 }}>{n.subject}</Link> : <span style={{ fontWeight: n.readAt ? 400 : 600 }}>{n.subject}</span>}
              description={<Typography.Text type="secondary" style={{ fontSize: 12 }}><RecentTime at={n.at} /></Typography.Text>}
            />
          </List.Item>
        )}
      />
    </div>
  );
  return (
    <Popover content={content} title={t('nav.notifications')} trigger="click" open={open} onOpenChange={setOpen} placement="bottomRight">
      <Badge count={unread} size="small" offset={[-4, 4]}>
        <Button icon={<BellOutlined />} aria-label={t('inbox.bell', { count: unread })} data-testid="notification-bell" />
      </Badge>
    </Popover>
  );
}
