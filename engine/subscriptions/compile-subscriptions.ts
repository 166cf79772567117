// The subscriptions of a revision, compiled once per model: their `when` filters, by entity.

import type { CompiledModel } from '../compile/compiled-model.ts';
import { compileExpression, type CompiledExpression } from '../expressions/compile-expression.ts';
import type { SubscriptionDefinition } from '../metadata/generated/metadata.ts';

export interface CompiledSubscription {
  name: string;
  definition: SubscriptionDefinition;
  events: ReadonlySet<string>;
  fields: ReadonlySet<string> | undefined;
  when: CompiledExpression | undefined;
  pauseAfterFailures: number;
}

const cache = new WeakMap<CompiledModel, ReadonlyMap<string, CompiledSubscription>>();

export function subscriptionsOf(model: CompiledModel): ReadonlyMap<string, CompiledSubscription> {
  let found = cache.get(model);
  if (!found) {
    found = new Map(model.set.list('subscription').map((doc) => {
      const definition = doc as unknown as SubscriptionDefinition;
      const compiled: CompiledSubscription = {
        name: definition.name, definition, events: new Set(definition.events), fields: definition.fields ? new Set(definition.fields) : undefined,
        when: definition.when ? compileExpression(definition.when, '/when').expression : undefined, pauseAfterFailures: definition.pauseAfterFailures ?? 20,
      };
      return [definition.name, compiled];
    }));
    cache.set(model, found);
  }
  return found;
}

export function subscriptionsForEntity(model: CompiledModel, entity: string): CompiledSubscription[] {
  return [...subscriptionsOf(model).values()].filter((s) => s.definition.entity === entity && s.definition.active !== false);
}
