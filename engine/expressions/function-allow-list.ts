// Which JSONata functions metadata may call. $eval would let stored data run as code; the clock
// functions ($now, $millis, and $today, which JSONata lacks) are bindings so that time comes from
// the request's injectable clock.

export const refusedFunctions: ReadonlySet<string> = new Set(['eval']);

export const expressionFunctionsAllowed: ReadonlySet<string> = new Set([
  // strings
  'string', 'length', 'substring', 'substringBefore', 'substringAfter', 'uppercase', 'lowercase', 'trim',
  'pad', 'contains', 'split', 'join', 'match', 'replace', 'base64encode', 'base64decode', 'encodeUrlComponent',
  'encodeUrl', 'decodeUrlComponent', 'decodeUrl', 'formatNumber', 'formatBase', 'formatInteger', 'parseInteger',
  // numbers
  'number', 'abs', 'floor', 'ceil', 'round', 'power', 'sqrt', 'random',
  // aggregates
  'sum', 'max', 'min', 'average', 'count',
  // booleans
  'boolean', 'not', 'exists',
  // arrays and objects
  'append', 'sort', 'reverse', 'shuffle', 'distinct', 'zip', 'keys', 'lookup', 'spread', 'merge', 'sift', 'each',
  'error', 'assert', 'type', 'map', 'filter', 'single', 'reduce',
  // time (now, millis and today are bound to the request clock)
  'now', 'millis', 'today', 'fromMillis', 'toMillis',
]);
