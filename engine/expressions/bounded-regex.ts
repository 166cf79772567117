// A RegexEngine for JSONata that cannot run away: a JSONata timeout is only checked between
// evaluation steps, so one catastrophic regex would block the server. Patterns run on V8's
// linear-time engine (the `l` flag: no backtracking, so no catastrophic case exists) and are
// refused at save time when they need backtracking (back-references, look-arounds), are longer
// than 200 characters, or have nested quantifiers (safe-regex2, kept as a second opinion). Where
// the linear engine is not available, the safe-regex2 check alone decides.

import { compileSafeRegex, isSafePattern, maxPatternLength, maxRegexInputLength } from '../kernel/safe-regex.ts';

export { isSafePattern, maxPatternLength };

function refused(message: string): Error {
  return Object.assign(new Error(message), { code: 'EXPR_REGEX' });
}

class BoundedRegExp extends RegExp {
  constructor(pattern: string | RegExp, flags?: string) {
    const source = typeof pattern === 'string' ? pattern : pattern.source;
    const given = flags ?? (typeof pattern === 'string' ? '' : pattern.flags);
    if (!isSafePattern(source, given)) {
      throw refused(`regular expression refused: longer than ${maxPatternLength} characters, or it needs backtracking (nested quantifiers, back-references, look-arounds)`);
    }
    // Case-insensitive patterns are folded into case-sensitive ones so they run linear too.
    const safe = compileSafeRegex(source, given);
    super(safe.source, safe.flags);
  }

  override exec(input: string): RegExpExecArray | null {
    if (input.length > maxRegexInputLength) throw refused(`regular expression input longer than ${maxRegexInputLength} characters`);
    return super.exec(input);
  }
}

export const boundedRegexEngine = BoundedRegExp;
