// One received message (raw RFC 5322 bytes and the envelope's recipients) becomes, for each mail
// channel it was sent to, one interaction record: parsed with mailparser, the sender matched to a
// contact, a reply threaded onto the record whose notification it answers, attachments stored as
// files linked to the interaction — the record, its files and the redelivery mark in one commit.

import type { AddressObject, ParsedMail } from 'mailparser';
import type { AccessPolicy, Principal } from '../access/policy.ts';
import { roleGrantsOf } from '../access/role-grants.ts';
import { evaluateExpression } from '../expressions/evaluate-expression.ts';
import { discardFileBytes, filesCollection, writeFileBytes, type FileStorage } from '../file-storage/file-store.ts';
import { andFilters, where } from '../filter/filter-tree.ts';
import { CrmError } from '../kernel/errors.ts';
import type { Clock } from '../kernel/clock.ts';
import type { RecordService } from '../records/record-service.ts';
import type { RequestContext } from '../records/request-context.ts';
import type { ModelRuntime } from '../runtime/model-runtime.ts';
import { mailChannelsOf, type CompiledMailChannel } from './compile-mail-channels.ts';
import { findThread, noteThread, threadOfReply, type MailThread } from './mail-threads.ts';

export interface ReceiveDeps extends FileStorage {
  records: RecordService;
  runtime: ModelRuntime;
  clock: Clock;
  policy: () => AccessPolicy;
}

export type ReceiveOutcome =
  | { channel: string; status: 'created'; entity: string; id: string; contact: string | null; thread: { entity: string; id: string } | null; attachments: number }
  | { channel: string; status: 'duplicate' };

const addresses = (field: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(field) ? field : field ? [field] : []).flatMap((group) => group.value.map((a) => (a.address ?? '').toLowerCase())).filter(Boolean);

/** The channel's role as the writer: what it may create and read is what the message may do. */
function channelPrincipal(channel: CompiledMailChannel, isAdminRole: boolean): Principal {
  return { kind: 'token', id: `mail:${channel.definition.name}`, roles: [channel.definition.role], teams: [], admin: isAdminRole };
}

async function findContact(deps: ReceiveDeps, ctx: RequestContext, channel: CompiledMailChannel, from: string): Promise<{ id: string; owner?: string } | undefined> {
  const spec = channel.definition.contact;
  const entity = spec ? ctx.model.entities.get(spec.entity) : undefined;
  if (!spec || !entity || !from) return undefined;
  try {
    ctx.policy.assertEntityAction(ctx.principal, entity, 'read');
  } catch {
    return undefined;
  }
  const filter = andFilters(where({ [spec.field]: from }), ctx.policy.scopeFilter(ctx.principal, entity, 'read'));
  const [row] = await deps.store.find(entity.name, { filter, sort: [], limit: 1 });
  return row ? { id: row.id, ...(typeof row.data['owner'] === 'string' ? { owner: row.data['owner'] } : {}) } : undefined;
}

const referencesOf = (parsed: ParsedMail): string[] => {
  const references = parsed.references === undefined ? [] : Array.isArray(parsed.references) ? parsed.references : parsed.references.split(/\s+/);
  return [...(parsed.inReplyTo ? parsed.inReplyTo.split(/\s+/) : []), ...references.reverse()].filter(Boolean);
};

async function ownerOf(deps: ReceiveDeps, thread: MailThread | undefined): Promise<string | undefined> {
  if (!thread) return undefined;
  const row = await deps.store.get(thread.entity, thread.recordId).catch(() => undefined);
  return typeof row?.data['owner'] === 'string' ? row.data['owner'] : undefined;
}

async function receiveOnChannel(deps: ReceiveDeps, channel: CompiledMailChannel, parsed: ParsedMail): Promise<ReceiveOutcome> {
  const name = channel.definition.name;
  const messageId = parsed.messageId;
  const dedupKey = messageId ? `${messageId}#channel:${name}` : undefined;
  if (dedupKey && (await findThread(deps.store, dedupKey))) return { channel: name, status: 'duplicate' };
  const model = deps.runtime.model;
  const policy = deps.policy();
  const principal = channelPrincipal(channel, channel.definition.role === 'admin' || roleGrantsOf(model.set).isAdminRole([channel.definition.role]));
  const ctx: RequestContext = { principal, locale: 'en', clock: deps.clock, model, policy };
  const from = addresses(parsed.from)[0] ?? '';
  const contact = await findContact(deps, ctx, channel, from);
  const thread = await threadOfReply(deps.store, referencesOf(parsed));
  const at = deps.clock.now().toISOString();

  const written: { id: string; size: number; sha256: string; inline?: string; name: string; contentType: string }[] = [];
  try {
    for (const attachment of parsed.attachments) {
      const bytes = await writeFileBytes(deps, attachment.content);
      written.push({ ...bytes, name: attachment.filename ?? 'attachment', contentType: attachment.contentType || 'application/octet-stream' });
    }
    const message = {
      from, fromName: Array.isArray(parsed.from) ? '' : (parsed.from?.value[0]?.name ?? ''), to: addresses(parsed.to), cc: addresses(parsed.cc),
      subject: parsed.subject ?? '', text: parsed.text ?? '', html: typeof parsed.html === 'string' ? parsed.html : '',
      date: (parsed.date ?? deps.clock.now()).toISOString(), messageId: messageId ?? null,
      contact: contact?.id ?? null, thread: thread ? { entity: thread.entity, id: thread.recordId } : null,
      attachments: written.map((f) => ({ id: f.id, name: f.name, contentType: f.contentType, size: f.size })),
    };
    const values = await evaluateExpression(channel.map, message, { clock: deps.clock, origin: `/mailChannels/${name}/interaction/map` });
    if (values === null || typeof values !== 'object' || Array.isArray(values)) {
      throw new CrmError('BAD_REQUEST', { en: 'The mail channel\'s map did not give an object', zh: '邮件渠道的映射结果不是对象' }, [{ path: '/interaction/map', message: 'must give an object of field values' }]);
    }
    const entity = channel.definition.interaction.entity;
    const owner = (await ownerOf(deps, thread)) ?? contact?.owner;
    const created = await deps.records.create(ctx, entity, values, {
      ...(owner ? { owner } : {}),
      withinTransaction: async (tx, { id }) => {
        for (const { id: fileId, size, sha256, inline, name: fileName, contentType } of written) {
          const data = { name: fileName, contentType, size, sha256, entity, recordId: id, at, ...(inline !== undefined ? { inline } : {}) };
          await tx.insert(filesCollection.name, { id: fileId, version: 1, revision: 0, data });
        }
      },
    });
    const id = String(created.record['id']);
    if (dedupKey) await noteThread(deps.store, dedupKey, { entity, recordId: id, source: 'received', at });
    // A reply to this message belongs to the same record as this one.
    if (messageId && thread) await noteThread(deps.store, messageId, { entity: thread.entity, recordId: thread.recordId, source: 'received', interaction: { entity, id }, at });
    return { channel: name, status: 'created', entity, id, contact: contact?.id ?? null, thread: thread ? { entity: thread.entity, id: thread.recordId } : null, attachments: written.length };
  } catch (error) {
    await discardFileBytes(deps, written.map((f) => f.id));
    throw error;
  }
}

/** Receives one message for the given envelope recipients; recipients no channel has are ignored. */
export async function receiveMail(deps: ReceiveDeps, args: { raw: Buffer; recipients: readonly string[] }): Promise<ReceiveOutcome[]> {
  const channels = mailChannelsOf(deps.runtime.model);
  const targets = [...new Set(args.recipients.map((r) => r.toLowerCase()))].flatMap((r) => (channels.has(r) ? [channels.get(r)!] : []));
  if (targets.length === 0) return [];
  // Loaded on first use: mailparser takes a noticeable part of the server's start-up.
  const { simpleParser } = await import('mailparser');
  const parsed = await simpleParser(args.raw);
  const outcomes: ReceiveOutcome[] = [];
  for (const channel of targets) outcomes.push(await receiveOnChannel(deps, channel, parsed));
  return outcomes;
}
