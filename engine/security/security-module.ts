// The security module: plugs users, sessions, tokens, teams, first-run setup and the role-based
// policy into the server. It comes first in the module list, so every later module (workflows,
// templates) works under its policy and authenticator.

import { createRolePolicy } from '../access/role-policy.ts';
import type { ContextDeps } from '../http/http-context.ts';
import type { EngineModule } from '../capability/engine-module.ts';
import { authRoutes } from './auth-routes.ts';
import { createAuthenticator } from './authenticate.ts';
import { securityCollections } from './collections.ts';
import { newSecret } from './secrets.ts';
import type { SecurityServices } from './security-services.ts';
import { setupRoutes, type SetupState } from './setup-routes.ts';
import { SignInLimiter } from './sign-in-limiter.ts';
import { teamRoutes } from './team-routes.ts';
import { addUser } from './user-admin.ts';
import { countUsers } from './user-store.ts';
import { peopleRoutes } from './people-routes.ts';
import { userRoutes } from './user-routes.ts';
import { reassignRoutes } from './reassign-routes.ts';
import { securityApi } from './security-openapi.ts';
import { withViewAs } from './view-as.ts';
import { log } from '../kernel/log.ts';

export const securityModule: EngineModule = {
  name: 'security',
  collections: securityCollections,
  async start(engine) {
    const { store, clock, runtime, records, settings } = engine;
    const roles = () => runtime.model.set;
    const policy = createRolePolicy(roles, (name) => runtime.model.entities.get(name));
    const authenticate = withViewAs(createAuthenticator({ store, clock, roles }), { store, clock, roles });
    const contextDeps: ContextDeps = { runtime, clock, policy, authenticate };
    const services: SecurityServices = { store, clock, runtime, records, policy, limiter: new SignInLimiter(clock), contextDeps, settings };
    const setup: SetupState = { token: undefined };

    if ((await countUsers(store)) === 0) {
      const email = settings.adminEmail;
      const password = settings.adminPassword;
      if (email && password) {
        try {
          await addUser({ store, clock, roles: roles(), user: { email, password, admin: true }, locale: 'en', onlyIfNoUsers: true });
          log.info('[security] first administrator created from CRM_ADMIN_EMAIL');
        } catch (error) {
          const details = (error as { details?: { path: string; message: string }[] }).details ?? [];
          log.error(`[security] CRM_ADMIN_EMAIL / CRM_ADMIN_PASSWORD refused: ${details.map((d) => `${d.path} ${d.message}`).join('; ') || String(error)}`);
        }
      }
      if ((await countUsers(store)) === 0) setup.token = newSecret();
    }

    return {
      routes: [
        { path: '/api/auth', router: authRoutes(services) },
        { path: '/api/users', router: userRoutes(services) },
        { path: '/api/people', router: peopleRoutes(services) },
        { path: '/api/teams', router: teamRoutes(services) },
        { path: '/api/setup', router: setupRoutes(services, setup) },
        { path: '/api/data', router: reassignRoutes(services) },
      ],
      openapi: securityApi,
      policy,
      authenticate,
      afterListen() {
        if (setup.token) log.info(`No user exists yet. Create the first administrator in the studio at ${engine.baseUrl()}/setup/${setup.token} or at ${engine.baseUrl()}/api/setup/${setup.token} (either link works once).`);
      },
    };
  },
};
