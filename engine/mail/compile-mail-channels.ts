// The mail channels of a revision, compiled once per model and found by address (lower case).

import type { CompiledModel } from '../compile/compiled-model.ts';
import { compileExpression, type CompiledExpression } from '../expressions/compile-expression.ts';
import type { MailChannelDefinition } from '../metadata/generated/metadata.ts';

export interface CompiledMailChannel {
  definition: MailChannelDefinition;
  address: string;
  map: CompiledExpression;
  maxBytes: number;
}

const cache = new WeakMap<CompiledModel, ReadonlyMap<string, CompiledMailChannel>>();

/** Active channels by their address in lower case. */
export function mailChannelsOf(model: CompiledModel): ReadonlyMap<string, CompiledMailChannel> {
  let found = cache.get(model);
  if (!found) {
    const channels = new Map<string, CompiledMailChannel>();
    for (const doc of model.set.list('mailChannel')) {
      const definition = doc as unknown as MailChannelDefinition;
      if (definition.active === false) continue;
      const { expression, issues } = compileExpression(definition.interaction.map, '/interaction/map');
      if (!expression) throw new Error(`mail channel ${definition.name}: ${issues.map((i) => i.message).join('; ')}`); // checked on save
      const address = definition.address.toLowerCase();
      channels.set(address, { definition, address, map: expression, maxBytes: definition.maxBytes ?? 25 * 1024 * 1024 });
    }
    found = channels;
    cache.set(model, found);
  }
  return found;
}

/** The address notification e-mails name as Reply-To: the first channel with `replyTo: true`. */
export function replyAddressOf(model: CompiledModel): string | undefined {
  for (const channel of mailChannelsOf(model).values()) if (channel.definition.replyTo === true) return channel.definition.address;
  return undefined;
}
