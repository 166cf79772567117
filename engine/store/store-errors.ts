// store/store-errors: the errors both adapters raise in the engine's vocabulary.

import { CrmError } from '../kernel/errors.ts';
import { pointerOfPath } from './store-names.ts';

/** UNIQUE_VIOLATION with one detail per field of the index that collided. */
export function uniqueViolation(paths: readonly (readonly string[])[]): CrmError {
  const names = paths.map((path) => path.join('.'));
  const message =
    names.length > 1
      ? `The combination of ${names.join(', ')} must be unique; another record has the same values`
      : `Another record already has this value${names.length === 1 ? ` for ${names[0]}` : ''}`;
  const zh = names.length > 1 ? `${names.join('、')} 的组合必须唯一，已有记录取值相同` : `已有记录使用了该值${names.length === 1 ? `（${names[0]}）` : ''}`;
  // A store knows no caller's language: `message` is English, `text` every language (localized where it is read).
  const text = { en: message, zh };
  const details = paths.length > 0 ? paths.map((path) => ({ path: pointerOfPath(path), message, text })) : [{ path: '', message, text }];
  return new CrmError('UNIQUE_VIOLATION', text, details);
}
