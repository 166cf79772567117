// A wide table on a narrow screen scrolls sideways inside this region, which the keyboard can reach
// (axe: scrollable-region-focusable) and which says what it holds.

export function ScrollRegion({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} style={{ overflowX: 'auto', maxWidth: '100%' }}>
      {children}
    </div>
  );
}
