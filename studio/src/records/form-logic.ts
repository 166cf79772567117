// visibleWhen / requiredWhen / readOnlyWhen evaluated live in the browser with JSONata — the same
// expressions the server checks on save (readOnlyWhen, like the server, of the record as it was). Each is compiled once per form; an expression that fails to compile
// or evaluate counts as "not hidden, not required" here (the server still has the last word).

import jsonata from 'jsonata';
import type { SectionModel } from './form-model.ts';

type Compiled = { evaluate: (input: unknown) => Promise<unknown> | unknown };

export interface FormLogic {
  /** Section keys and field names to evaluate. */
  sectionConditions: [string, Compiled][];
  fieldVisible: [string, Compiled][];
  fieldRequired: [string, Compiled][];
  fieldReadOnly: [string, Compiled][];
  staticRequired: Set<string>;
}

export interface LogicState {
  hidden: Set<string>;
  hiddenSections: Set<string>;
  required: Set<string>;
  /** Fields whose readOnlyWhen holds of the stored record: the server refuses a change to them. */
  readOnly: Set<string>;
}

function compile(text: string): Compiled | undefined {
  try {
    return jsonata(text);
  } catch {
    return undefined;
  }
}

export function compileFormLogic(sections: SectionModel[]): FormLogic {
  const logic: FormLogic = { sectionConditions: [], fieldVisible: [], fieldRequired: [], fieldReadOnly: [], staticRequired: new Set() };
  for (const s of sections) {
    const c = s.visibleWhen ? compile(s.visibleWhen) : undefined;
    if (c) logic.sectionConditions.push([s.key, c]);
    for (const f of s.fields) {
      if (f.def.required) logic.staticRequired.add(f.name);
      const v = f.form.visibleWhen ? compile(f.form.visibleWhen) : undefined;
      if (v) logic.fieldVisible.push([f.name, v]);
      const r = f.form.requiredWhen ? compile(f.form.requiredWhen) : undefined;
      if (r) logic.fieldRequired.push([f.name, r]);
      const o = f.form.readOnlyWhen ? compile(f.form.readOnlyWhen) : undefined;
      if (o) logic.fieldReadOnly.push([f.name, o]);
    }
  }
  return logic;
}

async function truth(expr: Compiled, data: unknown): Promise<boolean | undefined> {
  try {
    const result = await expr.evaluate(data);
    return result === undefined ? undefined : Boolean(result);
  } catch {
    return undefined;
  }
}

/** `stored` is the record as it was saved (none for a new record): what readOnlyWhen reads. */
export async function evaluateFormLogic(logic: FormLogic, values: Record<string, unknown>, stored?: Record<string, unknown>): Promise<LogicState> {
  const state: LogicState = { hidden: new Set(), hiddenSections: new Set(), required: new Set(logic.staticRequired), readOnly: new Set() };
  for (const [key, expr] of logic.sectionConditions) if ((await truth(expr, values)) !== true) state.hiddenSections.add(key);
  for (const [name, expr] of logic.fieldVisible) if ((await truth(expr, values)) !== true) state.hidden.add(name);
  for (const [name, expr] of logic.fieldRequired) if ((await truth(expr, values)) === true) state.required.add(name);
  if (stored) for (const [name, expr] of logic.fieldReadOnly) if ((await truth(expr, stored)) === true) state.readOnly.add(name);
  return state;
}

export function sameLogic(a: LogicState | undefined, b: LogicState): boolean {
  if (!a) return false;
  const same = (x: Set<string>, y: Set<string>) => x.size === y.size && [...x].every((v) => y.has(v));
  return same(a.hidden, b.hidden) && same(a.hiddenSections, b.hiddenSections) && same(a.required, b.required) && same(a.readOnly, b.readOnly);
}
