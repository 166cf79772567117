// The OpenAPI operations of the security routes: sign-in and sessions, API tokens, users and teams
// (admins), the first-run setup link, and reassigning a record's owner.

import type { JsonSchema } from '../fields/field-type.ts';
import {
  adminOnly, type ApiFragment, type ApiView, closedObjectOf, dateTime, entitySchemaName, entitySchemaRef, errorResponses, itemsOf, jsonRequestBody, jsonResponse,
  locationHeader, noContent, noSecurity, objectOf, pathParameter, retryAfterHeader, sharedSchemaRef, stringList, stringSchema, type OpenApiPathItem,
} from '../http/openapi-fragment.ts';

const user = sharedSchemaRef('crm.User');
const team = sharedSchemaRef('crm.Team');
const token = sharedSchemaRef('crm.ApiToken');
const text = (maxLength: number): JsonSchema => ({ type: 'string', maxLength });

const schemas: Record<string, JsonSchema> = {
  'crm.User': objectOf({
    id: stringSchema, email: stringSchema, name: stringSchema, roles: stringList, teams: stringList, admin: { type: 'boolean' }, disabled: { type: 'boolean' },
    locale: { type: 'string', enum: ['en', 'zh'], description: 'The language of the e-mails and notifications the user gets, and of the studio once they sign in' }, createdAt: dateTime, updatedAt: dateTime,
  }, ['id', 'email', 'roles', 'teams', 'admin', 'disabled']),
  'crm.Caller': objectOf({ user, roles: stringList, teams: stringList, admin: { type: 'boolean' }, via: { type: 'string', enum: ['session', 'token'] }, csrfToken: stringSchema }, ['user', 'roles', 'teams', 'admin']),
  'crm.Team': objectOf({ name: stringSchema, label: stringSchema, parent: stringSchema, members: { ...stringList, description: 'User ids (GET of one team)' } }, ['name']),
  'crm.Person': objectOf({ id: stringSchema, name: stringSchema, email: stringSchema, disabled: { type: 'boolean', description: 'Only in answers by id' } }, ['id', 'email']),
  'crm.ApiToken': objectOf({ id: stringSchema, name: stringSchema, role: stringSchema, userId: stringSchema, createdAt: dateTime, expiresAt: dateTime }, ['id', 'name', 'role', 'userId', 'createdAt']),
};

const userChange = {
  email: text(320), name: text(200), roles: { type: 'array', maxItems: 50, items: stringSchema }, teams: { type: 'array', maxItems: 50, items: stringSchema },
  admin: { type: 'boolean' }, disabled: { type: 'boolean' }, locale: { type: 'string', enum: ['en', 'zh'] },
};
const teamFields = { label: text(200), parent: text(64) };
const signedIn = objectOf({ user, csrfToken: stringSchema, expiresAt: dateTime }, ['user', 'csrfToken']);
const caller = sharedSchemaRef('crm.Caller');
const auth = ['auth'];
const admin = ['users and teams'];
const userId = pathParameter('id', 'The user id');
const teamName = pathParameter('name', 'The team name');
const setupSecret = pathParameter('token', 'The one-time secret printed at start');

function reassignPaths(view: ApiView): Record<string, OpenApiPathItem> {
  const paths: Record<string, OpenApiPathItem> = {};
  for (const { entity } of view.entities) {
    if (!view.can(entity, 'reassign')) continue;
    paths[`/api/data/${entity.name}/{id}/reassign`] = {
      parameters: [pathParameter('id', 'The record id')],
      post: {
        operationId: `reassign${entitySchemaName(entity.name)}`, summary: entity.definition.recordTeams ? 'Hand the record to another active user, or set the teams it belongs to' : 'Hand the record to another active user', tags: [entity.name],
        parameters: [{ name: 'If-Match', in: 'header', required: false, schema: stringSchema, description: 'ETags of the versions meant; another version gets 412.' }],
        requestBody: jsonRequestBody(entity.definition.recordTeams
          ? { ...closedObjectOf({ owner: { ...text(64), description: 'The new owner\'s user id' }, teams: { type: 'array', items: text(64), maxItems: 50, uniqueItems: true, description: 'The teams the record belongs to (existing team names); [] clears them' } }, []), minProperties: 1 }
          : closedObjectOf({ owner: { ...text(64), description: 'The new owner\'s user id' } }, ['owner'])),
        responses: {
          '200': jsonResponse('The record', entitySchemaRef(entity.name), { ETag: { description: 'The record version', schema: stringSchema } }),
          ...errorResponses(400, 401, 403, 404, 409, 412, 415),
        },
      },
    };
  }
  return paths;
}

export function securityApi(view: ApiView): ApiFragment {
  return {
    schemas,
    paths: {
      ...reassignPaths(view),
      '/api/auth/login': {
        post: {
          operationId: 'signIn', summary: 'Sign in: sets the session cookie and returns the CSRF token', tags: auth, ...noSecurity,
          requestBody: jsonRequestBody(closedObjectOf({ email: text(320), password: text(1000) }, ['email', 'password'])),
          responses: {
            '200': jsonResponse('Signed in', signedIn, { 'Set-Cookie': { description: 'The session cookie (httpOnly, SameSite=Strict)', schema: stringSchema } }),
            '429': { ...errorResponses(429)['429'] as object, headers: retryAfterHeader },
            ...errorResponses(400, 401, 415),
          },
        },
      },
      '/api/auth/logout': {
        post: { operationId: 'signOut', summary: 'End the session', tags: auth, ...noSecurity, responses: { '204': noContent, ...errorResponses(400, 403) } },
      },
      '/api/auth/view-as': {
        get: adminOnly({
          operationId: 'listViewAs',
          summary: 'Uses of "view as": an administrator sends X-CRM-View-As: user:<id> or role:<name> with a GET to be answered as that user or role (read-only, same access checks); each use is kept here, newest first',
          tags: auth,
          parameters: [{ name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000 } }],
          responses: {
            '200': jsonResponse('Uses', objectOf({ items: { type: 'array', items: objectOf({ id: stringSchema, by: stringSchema, as: stringSchema, method: stringSchema, path: stringSchema, at: { type: 'string', format: 'date-time' } }, ['id', 'by', 'as', 'method', 'path', 'at']) } }, ['items'])),
            ...errorResponses(400, 401, 403),
          },
        }),
      },
      '/api/auth/me': {
        get: {
          operationId: 'whoAmI', summary: 'Who is calling, with which roles, and the session\'s CSRF token', tags: auth,
          responses: { '200': jsonResponse('The caller', caller), ...errorResponses(400, 401) },
        },
        patch: {
          operationId: 'updateMe', summary: 'Change your own preferences: your language (of your notifications and e-mails, and of the studio once you sign in)', tags: auth,
          requestBody: jsonRequestBody(closedObjectOf({ locale: { type: 'string', enum: ['en', 'zh'], description: 'Your language' } }, ['locale'])),
          responses: { '200': jsonResponse('The caller, changed', caller), ...errorResponses(400, 401, 403, 415) },
        },
      },
      '/api/auth/password': {
        post: {
          operationId: 'changePassword', summary: 'Change your password (ends your sessions and tokens)', tags: auth,
          requestBody: jsonRequestBody(closedObjectOf({ currentPassword: text(1000), newPassword: text(1000) }, ['currentPassword', 'newPassword'])),
          responses: { '204': noContent, ...errorResponses(400, 401, 403, 415, 429) },
        },
      },
      '/api/auth/tokens': {
        get: { operationId: 'listTokens', summary: 'Your API tokens (never their secrets)', tags: auth, responses: { '200': jsonResponse('Tokens', itemsOf(token)), ...errorResponses(400, 401) } },
        post: {
          operationId: 'createToken', summary: 'Create an API token acting in one of your roles; its secret is shown once', tags: auth,
          requestBody: jsonRequestBody(closedObjectOf({ name: text(120), role: { ...text(64), description: 'A role you hold, or admin' }, expiresAt: { ...text(40), format: 'date-time' } }, ['name', 'role'])),
          responses: { '201': jsonResponse('Created', { allOf: [token, objectOf({ token: stringSchema }, ['token'])] }), ...errorResponses(400, 401, 403, 415) },
        },
      },
      '/api/auth/tokens/{id}': {
        parameters: [pathParameter('id', 'The token id')],
        delete: { operationId: 'revokeToken', summary: 'Revoke a token at once', tags: auth, responses: { '204': noContent, ...errorResponses(400, 401, 403, 404) } },
      },
      '/api/people': {
        get: {
          operationId: 'listPeople', summary: 'The directory of users (id, name, e-mail) for any signed-in caller: search active users, or resolve ids (disabled users included)', tags: auth,
          parameters: [
            { name: 'q', in: 'query', required: false, schema: text(100), description: 'Words that must all appear in the name or e-mail (case-insensitive)' },
            { name: 'ids', in: 'query', required: false, schema: stringSchema, description: 'Comma-separated user ids (at most 100); not with q' },
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 50 }, description: 'Search results (default 20)' },
          ],
          responses: { '200': jsonResponse('People', itemsOf(sharedSchemaRef('crm.Person'))), ...errorResponses(400, 401) },
        },
      },
      '/api/users': {
        get: adminOnly({
          operationId: 'listUsers', summary: 'Users, disabled ones included, in e-mail order, a page at a time', tags: admin,
          parameters: [
            { name: 'q', in: 'query', required: false, schema: text(100), description: 'Words that must all appear in the name or e-mail (case-insensitive)' },
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000 }, description: 'Users per page (default and at most 1000)' },
            { name: 'after', in: 'query', required: false, schema: text(320), description: 'The e-mail the previous page ended at (its next)' },
          ],
          responses: { '200': jsonResponse('Users', itemsOf(user, { next: { type: ['string', 'null'], description: 'Ask again with after= it for the next page; null on the last page' } })), ...errorResponses(400, 401, 403) },
        }),
        post: adminOnly({
          operationId: 'createUser', summary: 'Create a user', tags: admin,
          requestBody: jsonRequestBody(closedObjectOf({ ...userChange, password: text(1000) }, ['email', 'password'])),
          responses: { '201': jsonResponse('Created', user, locationHeader), ...errorResponses(400, 401, 403, 409, 415) },
        }),
      },
      '/api/users/{id}': {
        parameters: [userId],
        get: adminOnly({ operationId: 'getUser', summary: 'One user', tags: admin, responses: { '200': jsonResponse('The user', user), ...errorResponses(400, 401, 403, 404) } }),
        patch: adminOnly({
          operationId: 'updateUser', summary: 'Change a user (rights changes end their sessions and tokens)', tags: admin, requestBody: jsonRequestBody(closedObjectOf(userChange)),
          responses: { '200': jsonResponse('The user', user), ...errorResponses(400, 401, 403, 404, 409, 415) },
        }),
      },
      '/api/users/{id}/password': {
        parameters: [userId],
        post: adminOnly({
          operationId: 'resetUserPassword', summary: 'Set a user\'s password (ends their sessions and tokens)', tags: admin,
          requestBody: jsonRequestBody(closedObjectOf({ password: text(1000) }, ['password'])), responses: { '204': noContent, ...errorResponses(400, 401, 403, 404, 415) },
        }),
      },
      '/api/teams': {
        get: adminOnly({ operationId: 'listTeams', summary: 'Every team', tags: admin, responses: { '200': jsonResponse('Teams', itemsOf(team)), ...errorResponses(400, 401, 403) } }),
        post: adminOnly({
          operationId: 'createTeam', summary: 'Create a team (optionally below a parent)', tags: admin,
          requestBody: jsonRequestBody(closedObjectOf({ name: { ...text(64), pattern: '^[a-z][A-Za-z0-9]{0,63}$' }, ...teamFields }, ['name'])),
          responses: { '201': jsonResponse('Created', team, locationHeader), ...errorResponses(400, 401, 403, 409, 415) },
        }),
      },
      '/api/teams/{name}': {
        parameters: [teamName],
        get: adminOnly({ operationId: 'getTeam', summary: 'One team and its members', tags: admin, responses: { '200': jsonResponse('The team', team), ...errorResponses(400, 401, 403, 404) } }),
        patch: adminOnly({
          operationId: 'updateTeam', summary: 'Change a team\'s label or parent', tags: admin, requestBody: jsonRequestBody(closedObjectOf(teamFields)),
          responses: { '200': jsonResponse('The team', team), ...errorResponses(400, 401, 403, 404, 409, 415) },
        }),
        delete: adminOnly({ operationId: 'deleteTeam', summary: 'Delete a team without members or teams below it', tags: admin, responses: { '204': noContent, ...errorResponses(400, 401, 403, 404, 409) } }),
      },
      '/api/setup/{token}': {
        parameters: [setupSecret],
        get: { operationId: 'setupPage', summary: 'The first-run form (only while no user exists)', tags: auth, ...noSecurity, responses: { '200': { description: 'An HTML form', content: { 'text/html': { schema: stringSchema } } }, ...errorResponses(404) } },
        post: {
          operationId: 'createFirstAdministrator', summary: 'Create the first administrator (only while no user exists); signs them in', tags: auth, ...noSecurity,
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: closedObjectOf({ email: text(320), name: text(200), password: text(1000) }, ['email', 'password']) },
              'application/x-www-form-urlencoded': { schema: closedObjectOf({ email: text(320), name: text(200), password: text(1000) }, ['email', 'password']) },
            },
          },
          responses: {
            '201': { description: 'Created and signed in', content: { 'application/json': { schema: objectOf({ user, csrfToken: stringSchema }, ['user', 'csrfToken']) }, 'text/html': { schema: stringSchema } } },
            ...errorResponses(400, 404, 409, 413, 415),
          },
        },
      },
    },
  };
}
