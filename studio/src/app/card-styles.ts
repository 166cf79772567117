// How a card on a phone is drawn, one look for all of them: the record list's cards (RecordCards)
// and every other table's (ResponsiveTable). A card is a bordered box in a list; its lines are a
// description list, "label  value" side by side, the value wrapped anywhere rather than cut.

import { theme } from 'antd';
import type { CSSProperties } from 'react';

export interface CardStyles {
  list: CSSProperties;
  card: CSSProperties;
  head: CSSProperties;
  title: CSSProperties;
  lines: CSSProperties;
  line: CSSProperties;
  label: CSSProperties;
  value: CSSProperties;
  /** The controls of a card's columns without a heading (a row's actions), in a row that wraps. */
  actions: CSSProperties;
}

const fixed = {
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: 8 },
  head: { display: 'flex', alignItems: 'flex-start', gap: 10 },
  title: { fontSize: 16, lineHeight: '22px', fontWeight: 600, margin: 0, minWidth: 0, overflowWrap: 'anywhere' },
  lines: { margin: '6px 0 0', display: 'flex', flexDirection: 'column', gap: 4 },
  line: { display: 'grid', gridTemplateColumns: 'minmax(80px, 38%) minmax(0, 1fr)', columnGap: 12, alignItems: 'baseline' },
  value: { margin: 0, minWidth: 0, overflowWrap: 'anywhere' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: 8, marginTop: 8 },
} as const satisfies Partial<CardStyles>;

export function useCardStyles(): CardStyles {
  const { token } = theme.useToken();
  return {
    ...fixed,
    card: { background: token.colorBgContainer, border: `1px solid ${token.colorBorderSecondary}`, borderRadius: token.borderRadiusLG, padding: '10px 12px', minWidth: 0 },
    label: { margin: 0, color: token.colorTextSecondary, overflowWrap: 'anywhere' },
  };
}
