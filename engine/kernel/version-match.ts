// kernel/version-match: what an If-Match precondition asks for, as the record layers see it —
// one record version, or any of several (a list of entity tags). An empty list matches nothing.

export type ExpectedVersion = number | readonly number[];

export function versionMatches(expected: ExpectedVersion, actual: number): boolean {
  return typeof expected === 'number' ? expected === actual : expected.includes(actual);
}
