// Arrow keys move a lifted card a whole column at a time: dnd-kit's default moves it 25 px a press,
// so reaching the next column took eight presses or more, with nothing said in between.

import { defaultKeyboardCoordinateGetter, type KeyboardCoordinateGetter } from '@dnd-kit/core';

export const columnKeyboardCoordinates: KeyboardCoordinateGetter = (event, args) => {
  const step = event.code === 'ArrowRight' ? 1 : event.code === 'ArrowLeft' ? -1 : 0;
  const { collisionRect, droppableRects } = args.context;
  if (step === 0 || !collisionRect) return defaultKeyboardCoordinateGetter(event, args);
  // The columns are the board's only droppables, left to right.
  const columns = [...droppableRects.values()].sort((a, b) => a.left - b.left);
  const middle = collisionRect.left + collisionRect.width / 2;
  const at = columns.findIndex((c) => middle >= c.left && middle < c.left + c.width);
  const from = at >= 0 ? at : columns.findIndex((c) => c.left > middle) - (step > 0 ? 1 : 0);
  const target = columns[from + step];
  if (!target) return args.currentCoordinates;
  event.preventDefault();
  const current = columns[from] ?? { left: collisionRect.left };
  return { x: args.currentCoordinates.x + (target.left - current.left), y: args.currentCoordinates.y };
};
