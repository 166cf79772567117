// Where the import wizard stands — the step, the entity, the uploaded file, the mapping as edited,
// the dry run's and the import's jobs — kept in the tab's session storage per user, so a reload
// mid-wizard comes back to the same step with the same mapping (it started over at the file, the
// mapping's edits lost, and an import under way out of sight). A new tab starts afresh.

import type { Upload } from '../api/imports.ts';
import type { Draft } from './mapping-model.ts';

export interface WizardState {
  step: number;
  entity?: string;
  upload?: Upload;
  /** A workbook's sheet chosen; absent: the server's default. */
  sheet?: string;
  /** The header's line chosen; absent: the server finds it. */
  headerRow?: number;
  draft?: Draft & { upload: string };
  dryRunId?: string;
  commitId?: string;
  history: boolean;
}

export const freshWizard: WizardState = { step: 0, history: false };

const key = (user: string) => `crm.importWizard.${user}`;

export function loadWizardState(user: string): WizardState {
  try {
    const stored = JSON.parse(sessionStorage.getItem(key(user)) ?? 'null') as Partial<WizardState> | null;
    return stored && typeof stored.step === 'number' ? { ...freshWizard, ...stored } : freshWizard;
  } catch {
    return freshWizard;
  }
}

export function storeWizardState(user: string, state: WizardState): void {
  try {
    sessionStorage.setItem(key(user), JSON.stringify(state));
  } catch {
    // Storage full or refused (a private window): the wizard works on, only a reload starts it over.
  }
}
