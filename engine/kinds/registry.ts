// The metadata-kind registry: adding a kind means adding its module and one line here (and its
// schema in schemas/).

import { dashboardKind } from './dashboard-kind.ts';
import { entityKind } from './entity-kind.ts';
import { formKind } from './form-kind.ts';
import { inboundKind, mailChannelKind, subscriptionKind } from './integration-kinds.ts';
import type { MetadataKind } from './metadata-kind.ts';
import { reportKind } from './report-kind.ts';
import { roleKind } from './role-kind.ts';
import { segmentKind } from './segment-kind.ts';
import { viewKind } from './view-kind.ts';
import { workflowKind } from './workflow-kind.ts';

const kinds: readonly MetadataKind[] = [entityKind, formKind, viewKind, workflowKind, roleKind, dashboardKind, reportKind, segmentKind, subscriptionKind, inboundKind, mailChannelKind];

const byPlural = new Map(kinds.map((k) => [k.plural, k]));
const byKind = new Map(kinds.map((k) => [k.kind, k]));

export function findKindByPlural(plural: string): MetadataKind | undefined {
  return byPlural.get(plural);
}

export function findKind(kind: string): MetadataKind | undefined {
  return byKind.get(kind);
}

export function allKinds(): readonly MetadataKind[] {
  return kinds;
}
