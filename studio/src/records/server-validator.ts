// rjsf's validator under our content-security policy: the server is the only validator. The
// default ajv validator compiles with `new Function`, which `script-src 'self'` forbids; the
// precompiled alternative would need a server-built module per form revision. So the browser
// checks nothing itself: every save goes to the API, whose JSON-pointer errors land next to
// their fields (extraErrors), with the same messages in both languages as any other client gets.

import type { RJSFSchema, ValidatorType } from '@rjsf/utils';

export const serverValidator: ValidatorType<Record<string, unknown>, RJSFSchema> = {
  validateFormData: () => ({ errors: [], errorSchema: {} }),
  // Used by rjsf to pick a oneOf/anyOf branch; our generated schemas have none.
  isValid: () => true,
  rawValidation: () => ({ errors: [] }),
  reset: () => undefined,
};
