// kernel/engine-version: the engine's version (package.json), named in backups, configuration
// bundles, template compatibility checks and `crm --version`.

import { readFileSync } from 'node:fs';

// The file sits two folders below the project root both as a source and in the bundle (dist/server/).
export const engineVersion: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
