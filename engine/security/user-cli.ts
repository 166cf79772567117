// `crm user …`: manage users from the command line against the data folder (or MONGODB_URI) —
// the way to create the first admin without the server, and to recover a locked-out one.
// Passwords come from stdin (`--password-stdin`) or are generated and printed once.

import type { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { systemClock } from '../kernel/clock.ts';
import { isCrmError } from '../kernel/errors.ts';
import type { ModelRuntime } from '../runtime/model-runtime.ts';
import type { Store } from '../store/store-port.ts';
import { securityCollections } from './collections.ts';
import { hashPassword, checkNewPassword } from './passwords.ts';
import { addUser } from './user-admin.ts';
import { eachUser, findUserByEmail, updateUser } from './user-store.ts';

type OpenRuntime = () => Promise<{ store: Store; runtime: ModelRuntime }>;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

async function passwordFrom(options: { passwordStdin?: boolean }): Promise<{ password: string; generated: boolean }> {
  if (options.passwordStdin) return { password: await readStdin(), generated: false };
  return { password: randomBytes(18).toString('base64url'), generated: true };
}

async function withUsers(open: OpenRuntime, work: (store: Store, runtime: ModelRuntime) => Promise<void>): Promise<void> {
  const { store, runtime } = await open();
  try {
    for (const spec of securityCollections) await store.syncCollection(spec);
    await work(store, runtime);
  } catch (error) {
    if (!isCrmError(error)) throw error;
    console.error(`${error.message}${error.details.map((d) => `\n  ${d.path}: ${d.message}`).join('')}`);
    process.exitCode = 1;
  } finally {
    await store.close();
  }
}

export function registerUserCommands(program: Command, open: OpenRuntime): void {
  const user = program.command('user').description('users: add, list, reset a password, disable');

  user
    .command('add <email>')
    .description('create a user (with --admin: an administrator); prints a generated password unless --password-stdin')
    .option('--admin', 'make the user an administrator')
    .option('--role <role...>', 'roles (metadata items of kind role)')
    .option('--team <team...>', 'teams')
    .option('--name <name>', 'display name')
    .option('--password-stdin', 'read the password from standard input')
    .action((email: string, opts: { admin?: boolean; role?: string[]; team?: string[]; name?: string; passwordStdin?: boolean }) =>
      withUsers(open, async (store, runtime) => {
        const { password, generated } = await passwordFrom(opts);
        const created = await addUser({
          store, clock: systemClock, roles: runtime.model.set, locale: 'en',
          user: { email, password, admin: opts.admin === true, ...(opts.role ? { roles: opts.role } : {}), ...(opts.team ? { teams: opts.team } : {}), ...(opts.name ? { name: opts.name } : {}) },
        });
        console.log(`created ${created.admin ? 'administrator' : 'user'} ${created.email} (${created.id})`);
        if (generated) console.log(`password (shown once): ${password}`);
      }),
    );

  user
    .command('list')
    .description('list users')
    .action(() =>
      withUsers(open, async (store) => {
        for await (const u of eachUser(store)) console.log(`${u.id}  ${u.email}${u.admin ? '  admin' : ''}${u.disabled ? '  disabled' : ''}  roles: ${u.roles.join(',') || '-'}  teams: ${u.teams.join(',') || '-'}`);
      }),
    );

  user
    .command('reset-password <email>')
    .description('set a new password (generated unless --password-stdin); ends the user’s sessions and tokens')
    .option('--password-stdin', 'read the password from standard input')
    .action((email: string, opts: { passwordStdin?: boolean }) =>
      withUsers(open, async (store) => {
        const found = await findUserOrReport(store, email);
        if (!found) return;
        const { password, generated } = await passwordFrom(opts);
        const problem = checkNewPassword(password, found.email, 'en');
        if (problem) {
          console.error(`password ${problem}`);
          process.exitCode = 1;
          return;
        }
        await updateUser(store, found.id, { passwordHash: await hashPassword(password), disabled: false }, { now: systemClock.now(), endSessions: true });
        console.log(`password of ${found.email} reset; sessions and tokens ended`);
        if (generated) console.log(`password (shown once): ${password}`);
      }),
    );

  user
    .command('disable <email>')
    .description('disable a user: ends their sessions and tokens at once')
    .action((email: string) =>
      withUsers(open, async (store) => {
        const found = await findUserOrReport(store, email);
        if (!found) return;
        await updateUser(store, found.id, { disabled: true }, { now: systemClock.now(), endSessions: true });
        console.log(`disabled ${found.email}`);
      }),
    );
}

/** The user with that e-mail, or nothing after saying so (exit code 1). */
async function findUserOrReport(store: Parameters<typeof findUserByEmail>[0], email: string) {
  const found = await findUserByEmail(store, email);
  if (!found) {
    console.error(`no user ${email}`);
    process.exitCode = 1;
  }
  return found;
}
