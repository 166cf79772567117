// A tag whose colour says something (new, changed, removed, on, conflict) and whose text keeps AA
// contrast: antd's coloured tags put light text on a tint (axe flags them), so the text stays dark
// and the tone shows in the border and background.

import { Tag } from 'antd';

const tones = {
  green: '#389e0d',
  blue: '#0b57d0',
  red: '#c62828',
  gold: '#ad8b00',
  orange: '#d46b08',
} as const;

export type Tone = keyof typeof tones;

export function ToneTag({ tone, children }: { tone?: Tone | undefined; children: React.ReactNode }) {
  if (!tone) return <Tag>{children}</Tag>;
  const color = tones[tone];
  return (
    <Tag variant="outlined" style={{ color: '#1f1f1f', borderColor: color, background: `${color}1a` }}>
      {children}
    </Tag>
  );
}
