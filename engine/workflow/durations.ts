// Durations and offsets of workflow metadata ("48h", "-3d") as milliseconds.

const unitMs = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** "48h" → 172800000; "-3d" → -259200000; "+2h" → 7200000. Throws on anything else. */
export function parseDuration(text: string): number {
  const match = /^([+-]?)(\d{1,6})([mhdw])$/.exec(text);
  if (!match) throw new Error(`not a duration: ${text}`);
  const value = Number(match[2]) * unitMs[match[3] as keyof typeof unitMs];
  return match[1] === '-' ? -value : value;
}
