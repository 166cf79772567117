// The capabilities the server starts, in order. Security comes first among those that need its
// policy at start; idempotency goes before it so that its middleware sees every POST route (it reads
// the policy and authenticator at request time).

import { designerModule } from '../designer/designer-module.ts';
import { analyticsModule } from '../analytics/analytics-module.ts';
import { idempotencyModule } from '../idempotency/idempotency-module.ts';
import { inboundModule } from '../inbound/inbound-module.ts';
import { mailModule } from '../mail/mail-module.ts';
import { filesModule } from '../files/files-module.ts';
import { privacyModule } from '../privacy/privacy-module.ts';
import { subscriptionsModule } from '../subscriptions/subscriptions-module.ts';
import { syncModule } from '../sync/sync-module.ts';
import { securityModule } from '../security/security-module.ts';
import { workflowModule } from '../workflow/workflow-module.ts';
import { templatesModule } from '../templates/templates-module.ts';
import { importModule } from '../import/import-module.ts';
import { qualityModule } from '../quality/quality-module.ts';
import { backupModule } from '../backup/backup-module.ts';
import { studioModule } from '../studio/studio-module.ts';
import { webFormsModule } from '../webforms/web-forms-module.ts';
import type { EngineModule } from '../capability/engine-module.ts';

export const engineModules: EngineModule[] = [idempotencyModule, securityModule, privacyModule, workflowModule, subscriptionsModule, inboundModule, syncModule, filesModule, mailModule, templatesModule, analyticsModule, importModule, qualityModule, backupModule, studioModule, designerModule, webFormsModule];
