// security/: who is calling — local users with argon2 passwords, sessions in cookies with CSRF
// tokens, API tokens for integrations, teams, sign-in throttling, the first admin, and the
// role-based access policy wired in as the server's policy. This file: the system collections.

import type { CollectionSpec } from '../store/store-port.ts';

export const usersCollection: CollectionSpec = {
  name: '_users',
  indexes: [
    { name: 'email', keys: [{ path: ['email'], direction: 1 }], unique: true },
    { name: 'teams', keys: [{ path: ['teams'], direction: 1 }], unique: false },
  ],
};

export const sessionsCollection: CollectionSpec = {
  name: '_sessions',
  indexes: [{ name: 'user', keys: [{ path: ['userId'], direction: 1 }], unique: false }],
};

export const tokensCollection: CollectionSpec = {
  name: '_tokens',
  indexes: [{ name: 'user', keys: [{ path: ['userId'], direction: 1 }], unique: false }],
};

export const teamsCollection: CollectionSpec = {
  name: '_teams',
  indexes: [{ name: 'parent', keys: [{ path: ['parent'], direction: 1 }], unique: false }],
};

/** Each use of "view as" (view-as.ts): who looked, as whom, at what. */
export const viewAsCollection: CollectionSpec = {
  name: '_viewAs',
  indexes: [{ name: 'by', keys: [{ path: ['by'], direction: 1 }], unique: false }],
};

export const securityCollections: CollectionSpec[] = [usersCollection, sessionsCollection, tokensCollection, teamsCollection, viewAsCollection];
