// The workflow designer's model: the workflow document as edited (plain JSON, the shape the API
// checks), pure edits on it, and the diagram's nodes and edges derived from it.

import type { Edge, Node } from '@xyflow/react';
import type { MetaDocument } from '../../api/admin-meta.ts';
import type { Label } from '../../i18n/language.ts';
import { layoutDiagram, stateBox, tallStateBox } from './diagram-layout.ts';

export interface StateDoc {
  label: Label;
  order?: number;
  initial?: boolean;
  final?: boolean;
  color?: string;
  slaHours?: number;
  [key: string]: unknown;
}

export interface ApprovalStepDoc {
  order: number;
  label: Label;
  approver: { role?: string; user?: string; field?: string };
  when?: string;
}

export interface TransitionDoc {
  label: Label;
  from: string | string[];
  to: string;
  order?: number;
  guard?: string;
  guardMessage?: Label;
  roles?: string[];
  requiredFields?: string[];
  comment?: 'none' | 'optional' | 'required';
  actions?: string[];
  approval?: { when?: string; steps: Record<string, ApprovalStepDoc>; rejectActions?: string[] };
  [key: string]: unknown;
}

export type WorkflowDoc = MetaDocument & {
  kind: 'workflow';
  entity: string;
  label: Label;
  field?: string;
  states?: Record<string, StateDoc>;
  transitions?: Record<string, TransitionDoc>;
  triggers?: Record<string, Record<string, unknown> & { on: string }>;
  actions?: Record<string, Record<string, unknown> & { type: string }>;
};

/** Metadata names are camelCase, starting with a lower-case letter. */

/**
 * Whether a label has no Chinese: none at all, or per-language text without `zh` (Chinese users
 * then read the English). A plain string is one text for every language, meant as such.
 */
export function missingZh(label: Label): boolean {
  if (label === undefined || label === null) return true;
  if (typeof label === 'string') return false;
  return !label['zh']?.trim();
}

/**
 * A label's own text in one language, as a form field edits it: a plain string is the label in
 * every language; per-language text gives that language's entry, or nothing when it has none (no
 * falling back to another language, which `localize` does for display).
 */
export function labelIn(label: Label, language: 'en' | 'zh'): string | undefined {
  if (label === undefined || label === null) return undefined;
  if (typeof label === 'string') return label;
  return label[language] ?? undefined;
}

export function fromList(from: TransitionDoc['from'], states: Record<string, StateDoc>): string[] {
  if (from === '*') return Object.entries(states).filter(([, s]) => !s.final).map(([n]) => n);
  return typeof from === 'string' ? [from] : from;
}

/** States in their `order`, then by name. */
export function orderedStates(doc: WorkflowDoc): [string, StateDoc][] {
  return Object.entries(doc.states ?? {}).sort(([an, a], [bn, b]) => (a.order ?? 0) - (b.order ?? 0) || an.localeCompare(bn));
}

/**
 * States no new record can get to: not initial, and no chain of transitions leads there from an
 * initial state (the state field changes only through transitions). Records may still sit there
 * after an import of their history, so the API accepts them; the designer marks them. Empty while
 * no state is initial (nothing to start from yet).
 */
export function unreachableStates(doc: WorkflowDoc): Set<string> {
  const states = doc.states ?? {};
  const reached = new Set(Object.entries(states).filter(([, s]) => s.initial).map(([n]) => n));
  if (reached.size === 0) return new Set();
  const transitions = Object.values(doc.transitions ?? {});
  for (let grew = true; grew; ) {
    grew = false;
    for (const t of transitions) {
      if (reached.has(t.to) || !fromList(t.from, states).some((from) => reached.has(from))) continue;
      reached.add(t.to);
      grew = true;
    }
  }
  return new Set(Object.keys(states).filter((name) => !reached.has(name)));
}

export function addState(doc: WorkflowDoc, name: string, state: StateDoc): WorkflowDoc {
  const states = doc.states ?? {};
  const last = Math.max(0, ...Object.values(states).map((s) => s.order ?? 0));
  return { ...doc, states: { ...states, [name]: { ...state, order: state.order ?? last + 10 } } };
}

/** The state's own settings replaced; its name, and the transitions that use it, stay. */
export function putState(doc: WorkflowDoc, name: string, state: StateDoc): WorkflowDoc {
  return { ...doc, states: { ...(doc.states ?? {}), [name]: state } };
}

export function removeState(doc: WorkflowDoc, name: string): WorkflowDoc {
  const { [name]: _gone, ...states } = doc.states ?? {};
  const transitions = Object.fromEntries(
    Object.entries(doc.transitions ?? {})
      .filter(([, t]) => t.to !== name)
      .flatMap(([n, t]) => {
        if (t.from === '*') return [[n, t]];
        const from = (typeof t.from === 'string' ? [t.from] : t.from).filter((f) => f !== name);
        return from.length === 0 ? [] : [[n, { ...t, from: from.length === 1 ? from[0]! : from }]];
      }),
  );
  return { ...doc, states, transitions };
}

export function putTransition(doc: WorkflowDoc, name: string, transition: TransitionDoc, previousName?: string): WorkflowDoc {
  const transitions = { ...(doc.transitions ?? {}) };
  if (previousName && previousName !== name) delete transitions[previousName];
  transitions[name] = transition;
  return { ...doc, transitions };
}

export function removeKey<K extends 'transitions' | 'triggers' | 'actions'>(doc: WorkflowDoc, key: K, name: string): WorkflowDoc {
  const { [name]: _gone, ...rest } = (doc[key] ?? {}) as Record<string, unknown>;
  return { ...doc, [key]: rest };
}

/** The entity with each state as an option of the driven picklist (the API checks they match). */
export function entityWithStateOptions(entity: MetaDocument | undefined, doc: WorkflowDoc): MetaDocument | undefined {
  if (!entity || !doc.field) return undefined;
  const fields = (entity['fields'] ?? {}) as Record<string, Record<string, unknown>>;
  const field = fields[doc.field];
  if (!field || field['type'] !== 'picklist') return undefined;
  const options = { ...((field['options'] ?? {}) as Record<string, Record<string, unknown>>) };
  let changed = false;
  for (const [name, state] of Object.entries(doc.states ?? {})) {
    if (options[name]) continue;
    options[name] = { label: state.label, ...(state.color ? { color: state.color } : {}) };
    changed = true;
  }
  for (const name of Object.keys(options)) {
    if (doc.states?.[name]) continue;
    delete options[name];
    changed = true;
  }
  if (!changed) return undefined;
  return { ...entity, fields: { ...fields, [doc.field]: { ...field, options } } };
}

export interface DiagramText {
  label: (l: Label, fallback: string) => string;
  initial: string;
  final: string;
  unreachable: string;
  /** What a screen reader says for an arrow: the transition and the states it joins, by their labels. */
  edge: (transition: string, from: string, to: string) => string;
}

/** One node per state, one edge per (from, transition), laid out by diagram-layout.ts. */
export function diagramOf(doc: WorkflowDoc, text: DiagramText): { nodes: Node[]; edges: Edge[]; size: { width: number; height: number } } {
  const states = orderedStates(doc);
  const unreachable = unreachableStates(doc);
  const arrows = Object.entries(doc.transitions ?? {}).flatMap(([name, t]) =>
    fromList(t.from, doc.states ?? {}).map((from) => ({ id: `${name}:${from}`, name, source: from, target: t.to, label: text.label(t.label, name) })),
  );
  const { positions, routes, size } = layoutDiagram(states.map(([name]) => name), arrows, unreachable);
  const nodes: Node[] = states.map(([name, s]) => ({
    id: name,
    position: positions.get(name) ?? { x: 0, y: 0 },
    data: { label: `${text.label(s.label, name)}${s.initial ? ` · ${text.initial}` : ''}${s.final ? ` · ${text.final}` : ''}${unreachable.has(name) ? `\n${text.unreachable}` : ''}` },
    style: { borderColor: s.color ?? '#0b57d0', borderWidth: s.initial || s.final ? 3 : 1, borderStyle: s.final ? 'double' : unreachable.has(name) ? 'dashed' : 'solid', background: '#fff', color: '#1f1f1f', fontSize: 13, width: stateBox.width, minHeight: (unreachable.has(name) ? tallStateBox : stateBox).height, whiteSpace: 'pre-line' },
    ariaLabel: text.label(s.label, name),
  }));
  const edges: Edge[] = arrows.map(({ id, name, source, target, label }) => {
    const route = routes.get(id);
    return {
      id,
      source,
      target,
      type: 'routed',
      label,
      markerEnd: { type: 'arrowclosed' as never },
      style: { stroke: '#555' },
      labelStyle: { fill: '#1f1f1f', fontSize: 12 },
      ariaLabel: text.edge(label, text.label(doc.states?.[source]?.label, source), text.label(doc.states?.[target]?.label, target)),
      data: { transition: name, ...(route ? { points: route.points, labelAt: route.label } : {}) },
    };
  });
  return { nodes, edges, size };
}

/** The diagram with the item being edited marked: a selection changes no layout, so it is applied after it. */
export function withSelection(diagram: { nodes: Node[]; edges: Edge[] }, selected: string | undefined): { nodes: Node[]; edges: Edge[] } {
  return {
    nodes: diagram.nodes.map((node) => (selected === `state:${node.id}` ? { ...node, selected: true } : node)),
    edges: diagram.edges.map((edge) => (selected === `transition:${String(edge.data?.['transition'])}` ? { ...edge, selected: true, style: { ...edge.style, stroke: '#0b57d0' } } : edge)),
  };
}

/**
 * A first workflow over a picklist, to reshape in the designer: its options become the states in
 * their order (the first one initial), those in `finals` final. The other options follow one
 * another in a line; the line's last step leads to the first final option, and each later final
 * option (a way out: cancelled, lost — named by the admin's ticks, never guessed from the words) can
 * be reached from every state that is not final. Each transition is labelled with its target
 * option's label, in every language it has (its name where it has none).
 */
export function workflowFromPicklist(args: { name: string; entity: string; field: string; label: Label; options: [string, { label?: Label }][]; finals: readonly string[] }): WorkflowDoc {
  const { options } = args;
  const isFinal = (value: string, i: number) => i > 0 && args.finals.includes(value);
  const states = Object.fromEntries(options.map(([value, o], i) => [value, { label: o.label ?? value, order: (i + 1) * 10, ...(i === 0 ? { initial: true } : {}), ...(isFinal(value, i) ? { final: true } : {}) }]));
  const line = options.filter(([value], i) => !isFinal(value, i)).map(([value]) => value);
  const ends = options.filter(([value], i) => isFinal(value, i));
  const name = (value: string) => `to${value[0]!.toUpperCase()}${value.slice(1)}`;
  const transitions: Record<string, TransitionDoc> = {};
  let order = 10;
  const add = (to: string, from: string[], label: Label) => {
    transitions[name(to)] = { label, from: from.length === 1 ? from[0]! : from, to, order };
    order += 10;
  };
  const labelOf = (value: string) => options.find(([v]) => v === value)?.[1].label ?? value;
  for (let i = 1; i < line.length; i++) add(line[i]!, [line[i - 1]!], labelOf(line[i]!));
  ends.forEach(([value, o], i) => add(value, i === 0 ? [line.at(-1)!] : line, o.label ?? value));
  return { kind: 'workflow', name: args.name, entity: args.entity, label: args.label, field: args.field, states, transitions } as WorkflowDoc;
}
