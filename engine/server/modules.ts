// The capabilities the server starts, in order. Security comes first: later modules see its policy.

import { analyticsModule } from '../analytics/analytics-module.ts';
import { privacyModule } from '../privacy/privacy-module.ts';
import { securityModule } from '../security/security-module.ts';
import { workflowModule } from '../workflow/workflow-module.ts';
import { templatesModule } from '../templates/templates-module.ts';
import type { EngineModule } from './engine-module.ts';

export const engineModules: EngineModule[] = [securityModule, privacyModule, workflowModule, templatesModule, analyticsModule];
