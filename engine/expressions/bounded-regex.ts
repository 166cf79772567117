// A RegexEngine for JSONata that refuses long or catastrophic patterns before they run: a JSONata
// timeout is only checked between evaluation steps, so one runaway regex would block the server.

import safeRegex from 'safe-regex2';

export const maxPatternLength = 200;
/** Inputs longer than this are refused by regex functions, bounding the work of one match. */
export const maxRegexInputLength = 100_000;

export function isSafePattern(pattern: string): boolean {
  return pattern.length <= maxPatternLength && safeRegex(pattern);
}

class BoundedRegExp extends RegExp {
  constructor(pattern: string | RegExp, flags?: string) {
    const source = typeof pattern === 'string' ? pattern : pattern.source;
    if (!isSafePattern(source)) {
      throw Object.assign(new Error(`regular expression refused: longer than ${maxPatternLength} characters or prone to catastrophic backtracking`), { code: 'EXPR_REGEX' });
    }
    super(pattern, flags);
  }

  override exec(input: string): RegExpExecArray | null {
    if (input.length > maxRegexInputLength) {
      throw Object.assign(new Error(`regular expression input longer than ${maxRegexInputLength} characters`), { code: 'EXPR_REGEX' });
    }
    return super.exec(input);
  }
}

export const boundedRegexEngine = BoundedRegExp;
