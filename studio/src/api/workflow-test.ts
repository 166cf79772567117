// The workflow designer's test mode: POST /api/workflows/test runs the workflow as edited (not
// saved) against a stored or draft record; the server records every side effect and applies none.

import { postJson } from './client.ts';
import type { MetaDocument } from './admin-meta.ts';

export interface ActionPreview {
  name: string;
  type: string;
  label?: string;
  origin: string;
  fires: boolean;
  detail: Record<string, unknown>;
}

export interface EscalationPreview {
  trigger: string;
  label?: string;
  state: string;
  dueAt: string;
  repeatEvery?: string;
  when?: string;
  holds: boolean;
  actions: string[];
}

export interface TestedTransition {
  name: string;
  label: string;
  to: string;
  open: boolean;
  reasons: { code: string; message: string; fields?: string[] }[];
  roles: string[];
  requiredFields: string[];
  missingFields: string[];
  guard?: { expression: string; value: boolean | null; error?: string };
  comment: 'none' | 'optional' | 'required';
  approval?: { needed: boolean; steps: { name: string; applies: boolean; approver: Record<string, string> }[] };
  setFields: Record<string, unknown>;
  actions: ActionPreview[];
  escalations: EscalationPreview[];
}

export interface WorkflowTestReport {
  workflow: string;
  entity: string;
  record?: { id?: string; draft: boolean; state?: string };
  usage: { state: string; records: number; removed: boolean }[];
  transitions: TestedTransition[];
  onCreate?: { actions: ActionPreview[]; escalations: EscalationPreview[]; dates: { trigger: string; dueAt: string }[] };
  applied: false;
}

export interface WorkflowTestRequest {
  workflow: MetaDocument;
  documents?: MetaDocument[];
  record?: { id: string } | { values: Record<string, unknown> };
  as?: { roles: string[] };
}

export function testWorkflow(request: WorkflowTestRequest): Promise<WorkflowTestReport> {
  return postJson<WorkflowTestReport>('/api/workflows/test', request);
}
