// The team hierarchy behind the "team" scope: a team's scope covers the teams below it. Pure, so
// that sign-in (security) and notification recipients (notifications) compute it the same way.

/** A team as far as the hierarchy goes: its name and the team above it. */
export interface TeamNode {
  name: string;
  parent?: string;
}

/** The named teams and every team below them in the hierarchy. */
export function teamsBelow(teams: readonly TeamNode[], roots: readonly string[]): Set<string> {
  const children = new Map<string, string[]>();
  for (const team of teams) if (team.parent) children.set(team.parent, [...(children.get(team.parent) ?? []), team.name]);
  const out = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (out.has(name)) continue;
    out.add(name);
    stack.push(...(children.get(name) ?? []));
  }
  return out;
}
