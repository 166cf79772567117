// Time in each state, for SLA reporting: a record's stays (entered, left, how long, over target?)
// and, per workflow, the count, average and longest stay per state, how many records sit in each
// state now and how many stays went past the state's `slaHours`.

import type { CompiledWorkflow } from './compile-workflow.ts';
import { durationMs, type Stay } from './state-history.ts';

export interface StayView {
  state: string;
  enteredAt: string;
  leftAt?: string;
  durationMs: number;
  by: string;
  via?: string;
  slaHours?: number;
  breached: boolean;
}

export function viewStays(workflow: CompiledWorkflow, stays: readonly Stay[], now: Date): StayView[] {
  return stays
    .filter((s) => s.workflow === workflow.name)
    .map((s) => {
      const duration = durationMs(s, now);
      const sla = workflow.states.get(s.state)?.slaHours;
      return {
        state: s.state, enteredAt: s.enteredAt, ...(s.leftAt ? { leftAt: s.leftAt } : {}), durationMs: duration, by: s.by, ...(s.via ? { via: s.via } : {}),
        ...(sla !== undefined ? { slaHours: sla } : {}), breached: sla !== undefined && duration > sla * 3_600_000,
      };
    });
}

export interface StateSummary {
  state: string;
  stays: number;
  current: number;
  totalMs: number;
  averageMs: number;
  maxMs: number;
  slaHours?: number;
  breached: number;
  currentBreached: number;
}

export function summarizeStays(workflow: CompiledWorkflow, stays: readonly Stay[], now: Date): StateSummary[] {
  const byState = new Map<string, StateSummary>();
  for (const name of workflow.states.keys()) {
    const sla = workflow.states.get(name)?.slaHours;
    byState.set(name, { state: name, stays: 0, current: 0, totalMs: 0, averageMs: 0, maxMs: 0, ...(sla !== undefined ? { slaHours: sla } : {}), breached: 0, currentBreached: 0 });
  }
  for (const stay of stays) {
    const summary = byState.get(stay.state);
    if (!summary) continue;
    const duration = durationMs(stay, now);
    const over = summary.slaHours !== undefined && duration > summary.slaHours * 3_600_000;
    summary.stays++;
    summary.totalMs += duration;
    summary.maxMs = Math.max(summary.maxMs, duration);
    if (!stay.leftAt) summary.current++;
    if (over) summary.breached++;
    if (over && !stay.leftAt) summary.currentBreached++;
  }
  for (const summary of byState.values()) summary.averageMs = summary.stays ? Math.round(summary.totalMs / summary.stays) : 0;
  return [...byState.values()];
}
