// The inbound endpoints of a revision, compiled once per model.

import type { CompiledModel } from '../compile/compiled-model.ts';
import { compileExpression, type CompiledExpression } from '../expressions/compile-expression.ts';
import type { InboundDefinition } from '../metadata/generated/metadata.ts';
import type { CompiledTarget } from './apply-inbound-item.ts';

export interface CompiledInbound {
  definition: InboundDefinition;
  items: CompiledExpression | undefined;
  key: CompiledExpression;
  targets: CompiledTarget[];
  /** The JSON pointer of the items array in the payload when `items` is a plain path (`orders` → `/orders`). */
  itemsPointer: string | undefined;
}

const cache = new WeakMap<CompiledModel, ReadonlyMap<string, CompiledInbound>>();
const plainPath = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/;

function compiled(source: string, path: string): CompiledExpression {
  const { expression, issues } = compileExpression(source, path);
  if (!expression) throw new Error(`inbound ${path}: ${issues.map((i) => i.message).join('; ')}`); // checked on save
  return expression;
}

export function inboundEndpointsOf(model: CompiledModel): ReadonlyMap<string, CompiledInbound> {
  let found = cache.get(model);
  if (!found) {
    found = new Map(model.set.list('inbound').map((doc) => {
      const definition = doc as unknown as InboundDefinition;
      const targets = Object.entries(definition.targets).map(([name, target]): CompiledTarget => ({
        name, entity: target.entity, match: target.match, map: compiled(target.map, `/targets/${name}/map`),
        ...(target.parent ? { parent: target.parent } : {}), ...(target.parentField ? { parentField: target.parentField } : {}),
      }));
      const items = definition.items ? compiled(definition.items, '/items') : undefined;
      const itemsPointer = definition.items === undefined ? '' : plainPath.test(definition.items.trim()) ? '/' + definition.items.trim().split('.').join('/') : undefined;
      return [definition.name, { definition, items, key: compiled(definition.key, '/key'), targets, itemsPointer }];
    }));
    cache.set(model, found);
  }
  return found;
}
