// Runs a notify action: resolves the recipients (roles, e-mails, user fields — each person once),
// skips those who may not read the record (out of their scope: they get nothing, not even its id),
// renders subject and body in each recipient's language over the fields that recipient may read,
// puts it in their inbox and, when SMTP is configured, e-mails it. Idempotent per job: a retry
// re-sends only the e-mails that failed.

import type { AccessPolicy, Principal } from '../access/policy.ts';
import type { CompiledEntity } from '../compile/compiled-model.ts';
import { andFilters, internalField } from '../filter/filter-tree.ts';
import type { Clock } from '../kernel/clock.ts';
import type { LocalizedText } from '../kernel/i18n.ts';
import type { MailService } from '../mail/mail-service.ts';
import { noteThread } from '../mail/mail-threads.ts';
import { renderMail } from '../mail/render-mail.ts';
import type { Store } from '../store/store-port.ts';
import { putNotification, updateNotification } from './inbox.ts';
import type { DirectoryUser, UserDirectory } from './user-directory.ts';

export interface NotifySpec {
  to: { roles?: string[]; users?: string[]; fields?: string[] };
  subject: LocalizedText;
  body?: LocalizedText;
  channels?: ('inbox' | 'email')[];
}

export interface NotifyArgs {
  store: Store;
  directory: UserDirectory;
  mailer: MailService | undefined;
  policy: AccessPolicy;
  clock: Clock;
  spec: NotifySpec;
  /** Identifies this sending (the job id): inbox ids derive from it. */
  sendingId: string;
  entity?: CompiledEntity;
  record?: Record<string, unknown>;
  source: { workflow?: string; action?: string };
  origin: string;
  /** Reads a recipient field path (following lookups); the record's own value at the path when omitted. */
  resolveField?: (path: string) => Promise<unknown>;
  /** Reply-To of the e-mails (a mail channel's address: replies come back and land on the record). */
  replyTo?: string;
  /** Whether roles make their holder an administrator (`admin: true` roles); none do when omitted. */
  isAdminRole?: (roles: readonly string[]) => boolean;
}

function valueAt(record: Record<string, unknown> | undefined, path: string): unknown {
  let value: unknown = record;
  for (const part of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
  return value;
}

export async function resolveRecipients(args: Pick<NotifyArgs, 'directory' | 'spec' | 'record' | 'resolveField'>): Promise<{ users: DirectoryUser[]; unknown: string[] }> {
  const found = new Map<string, DirectoryUser>();
  const unknown: string[] = [];
  for (const role of args.spec.to.roles ?? []) for (const user of await args.directory.listByRole(role)) found.set(user.id, user);
  for (const email of args.spec.to.users ?? []) {
    const user = await args.directory.findByEmail(email);
    if (user) found.set(user.id, user);
    else unknown.push(email);
  }
  for (const field of args.spec.to.fields ?? []) {
    const id = args.resolveField ? await args.resolveField(field) : valueAt(args.record, field);
    if (typeof id !== 'string' || id.startsWith('system:')) continue;
    // A user the directory does not know still gets the inbox entry (no e-mail address).
    found.set(id, (await args.directory.findById(id)) ?? { id, roles: [], teams: [], admin: false });
  }
  return { users: [...found.values()], unknown };
}

/** The recipient as the access policy sees them when they sign in: roles, teams and team scope. */
async function principalOf(args: NotifyArgs, user: DirectoryUser): Promise<Principal> {
  const admin = user.admin || (args.isAdminRole?.(user.roles) ?? false);
  const teamMembers = admin ? [] : ((await args.directory.teamMembersOf?.(user)) ?? []);
  const teamScope = admin ? [] : ((await args.directory.teamScopeOf?.(user)) ?? []);
  return { kind: 'user', id: user.id, roles: user.roles, teams: user.teams, teamMembers, teamScope, admin };
}

/**
 * What the recipient may see of the record: nothing (undefined) when it is outside their read
 * scope or its entity unknown to them — they get no notification at all — else its readable fields.
 */
async function readableRecordFor(args: NotifyArgs, principal: Principal): Promise<Record<string, unknown> | undefined> {
  const { entity, record } = args;
  if (!entity || !record) return {};
  try {
    args.policy.assertEntityAction(principal, entity, 'read');
  } catch {
    return undefined;
  }
  const id = record['id'];
  if (typeof id !== 'string') return undefined;
  const filter = andFilters({ kind: 'compare', field: internalField('id'), op: '$eq', value: id }, args.policy.scopeFilter(principal, entity, 'read'));
  if ((await args.store.find(entity.name, { filter, sort: [], limit: 1 })).length === 0) return undefined;
  const readable = args.policy.readableFields(principal, entity);
  return Object.fromEntries(Object.entries(record).filter(([key]) => readable.has(key)));
}

/** Sends to every recipient; throws after trying all when some e-mail failed (the job retries those). */
export async function sendNotification(args: NotifyArgs): Promise<string> {
  const { users, unknown } = await resolveRecipients(args);
  const channels = new Set(args.spec.channels ?? ['inbox', 'email']);
  const failures: string[] = [];
  let mailed = 0;
  let withheld = 0;
  for (const user of users) {
    const locale = user.locale ?? 'en';
    const input = await readableRecordFor(args, await principalOf(args, user));
    if (input === undefined) {
      withheld++;
      continue;
    }
    const rendered = await renderMail(args.spec, { locale, input, clock: args.clock, origin: args.origin });
    const subject = rendered.subject;
    const body = rendered.hasBody ? rendered.text : undefined;
    const wantsEmail = channels.has('email') && args.mailer !== undefined && user.email !== undefined;
    const notification = await putNotification(args.store, `${args.sendingId}.${user.id}`, {
      userId: user.id,
      subject,
      ...(body !== undefined ? { body } : {}),
      at: args.clock.now().toISOString(),
      ...(args.entity ? { entity: args.entity.name } : {}),
      ...(typeof args.record?.['id'] === 'string' ? { recordId: args.record['id'] } : {}),
      ...(args.source.workflow ? { workflow: args.source.workflow } : {}),
      ...(args.source.action ? { source: args.source.action } : {}),
      inbox: channels.has('inbox'),
      email: wantsEmail ? { status: 'pending', to: user.email! } : { status: 'none' },
    });
    if (!wantsEmail || notification.email.status === 'sent') continue;
    try {
      // Our own Message-ID, noted with the record: a reply naming it is threaded onto the record.
      const messageId = args.mailer!.newMessageId();
      const recordId = typeof args.record?.['id'] === 'string' ? args.record['id'] : undefined;
      if (args.entity && recordId) await noteThread(args.store, messageId, { entity: args.entity.name, recordId, source: 'sent', at: args.clock.now().toISOString() });
      await args.mailer!.send({ to: user.email!, subject, text: body ?? subject, messageId, ...(args.replyTo ? { replyTo: args.replyTo } : {}) });
      await updateNotification(args.store, notification, { email: { status: 'sent', to: user.email!, at: args.clock.now().toISOString(), messageId } });
      mailed++;
    } catch (error) {
      failures.push(`${user.email}: ${(error as Error).message}`);
    }
  }
  if (failures.length > 0) throw new Error(`e-mail failed for ${failures.join('; ')}`);
  const skipped = withheld ? `; ${withheld} who may not read the record got nothing` : '';
  return `notified ${users.length - withheld} user(s), e-mailed ${mailed}${skipped}${unknown.length ? `; unknown users: ${unknown.join(', ')}` : ''}`;
}
