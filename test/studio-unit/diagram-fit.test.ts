// The workflow diagram's box (studio/src/admin/workflows/diagram-layout.ts, fitDrawing): its height
// follows the drawing as fitted to the box's width, so a wide drawing leaves no empty band above
// and below; a tall one is held at the maximum height, a flat one at the minimum.

import { describe, expect, it } from 'vitest';
import { fitDrawing } from '../../studio/src/admin/workflows/diagram-layout.ts';

const bounds = { maxHeight: 640, minHeight: 160, padding: 0.1, maxZoom: 1.25 };

describe('fitDrawing', () => {
  it.each([
    // A wide drawing on a phone: scaled to the width (330 / 1200 = 0.275), the box as tall as it is drawn (480 × 0.275 = 132, kept at 160).
    ['wide, phone', { width: 1000, height: 400 }, 330, { zoom: 0.275, height: 160 }],
    // A wide drawing on a desktop: 900 / 1200 = 0.75, the box 480 × 0.75 = 360 tall (it was 464 before: empty space above and below).
    ['wide, desktop', { width: 1000, height: 400 }, 900, { zoom: 0.75, height: 360 }],
    // A tall drawing: held by the maximum height (640 / 1200), the box at that height.
    ['tall', { width: 300, height: 1000 }, 900, { zoom: 640 / 1200, height: 640 }],
    // A small drawing is not blown up past 125 %: 100 × 1.2 × 1.25 = 150, kept at the minimum.
    ['small', { width: 200, height: 100 }, 900, { zoom: 1.25, height: 160 }],
    // Not laid out yet (no width): the minimum box, at 100 %.
    ['no width yet', { width: 1000, height: 400 }, 0, { zoom: 1, height: 160 }],
  ])('%s', (_, size, width, expected) => {
    const fit = fitDrawing({ size, width, ...bounds });
    expect(fit.zoom).toBeCloseTo(expected.zoom, 6);
    expect(fit.height).toBe(expected.height);
  });

  it('the drawing as fitted fills the box: the zoom the height allows is the zoom the width chose', () => {
    for (const width of [320, 360, 700, 950]) {
      const size = { width: 820, height: 470 };
      const fit = fitDrawing({ size, width, ...bounds, minHeight: 0 });
      const byHeight = fit.height / (size.height * (1 + 2 * bounds.padding));
      expect(byHeight).toBeGreaterThanOrEqual(fit.zoom);
      expect(byHeight - fit.zoom).toBeLessThan(1 / (size.height * 1.2)); // within the pixel the height rounds up by
    }
  });
});
