// What a screen reader hears while an item is dragged with the keyboard (dnd-kit's live region and
// the handle's instructions): in the UI language, each item and drop area by the name people see —
// dnd-kit's own defaults are English sentences naming the internal ids ("Draggable item
// field:paidAmount was dropped over droppable area field:paidAmount").

import type { Announcements, ScreenReaderInstructions, UniqueIdentifier } from '@dnd-kit/core';
import { useTranslation } from 'react-i18next';

export function useDndAccessibility(nameOf: (id: UniqueIdentifier) => string): { announcements: Announcements; screenReaderInstructions: ScreenReaderInstructions } {
  const { t } = useTranslation();
  return {
    screenReaderInstructions: { draggable: t('dnd.instructions') },
    announcements: {
      onDragStart: ({ active }) => t('dnd.pickedUp', { item: nameOf(active.id) }),
      onDragOver: ({ active, over }) => (over ? t('dnd.over', { item: nameOf(active.id), target: nameOf(over.id) }) : t('dnd.outside', { item: nameOf(active.id) })),
      onDragEnd: ({ active, over }) => (over ? t('dnd.dropped', { item: nameOf(active.id), target: nameOf(over.id) }) : t('dnd.droppedOutside', { item: nameOf(active.id) })),
      onDragCancel: ({ active }) => t('dnd.cancelled', { item: nameOf(active.id) }),
    },
  };
}
