// The import wizard's steps and the state they share: the entity and the uploaded file, the mapping
// being edited, the dry run's job and the import's job (kept through a reload: wizard-state.ts).
// Each step is its own component.

import { useQuery } from '@tanstack/react-query';
import { Grid, Steps, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { suggestMapping, type Upload } from '../api/imports.ts';
import { useEntities } from '../api/meta.ts';
import { PageLoading } from '../app/PageStates.tsx';
import { useSession } from '../app/session.tsx';
import { CommitStep } from './CommitStep.tsx';
import { DryRunStep } from './DryRunStep.tsx';
import { draftFromSuggestion, type Draft } from './mapping-model.ts';
import { targetsOf } from './mapping-targets.ts';
import { MappingStep } from './MappingStep.tsx';
import { defaultInputId } from './DefaultsEditor.tsx';
import { PreviewStep } from './PreviewStep.tsx';
import { SourceStep } from './SourceStep.tsx';
import { loadWizardState, storeWizardState } from './wizard-state.ts';
import '../app/layout.css';

export function ImportWizard() {
  const { t } = useTranslation();
  const entities = useEntities();
  const wide = Grid.useBreakpoint().md !== false;
  const user = useSession().me?.user.id ?? '';
  const [restored] = useState(() => loadWizardState(user));
  const [step, setStep] = useState(restored.step);
  const top = useRef<HTMLDivElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const shown = useRef(step);
  /** The control a step is shown for (a default the server could not read): the focus goes there instead of the heading. */
  const focusOn = useRef<string | undefined>(undefined);
  // A new step starts at its top (the button that led to it sat at the bottom of the last one), and
  // the focus goes to its heading: the button was gone with the last step, which left the focus on
  // the page's body (a screen reader said nothing of the new step, and Tab went on from wherever the
  // button had been).
  useEffect(() => {
    const control = focusOn.current === undefined ? null : document.getElementById(focusOn.current);
    focusOn.current = undefined;
    if (control) {
      // Back on the long mapping for what the server refused: there, not at the top, where nothing said why.
      control.scrollIntoView({ block: 'center' });
      control.focus({ preventScroll: true });
    } else if (shown.current !== step) {
      top.current?.scrollIntoView({ block: 'start' });
      heading.current?.focus({ preventScroll: true });
    }
    shown.current = step;
  }, [step]);
  const [entity, setEntity] = useState<string | undefined>(restored.entity);
  const [upload, setUpload] = useState<Upload | undefined>(restored.upload);
  /** A workbook's sheet chosen (in step 1, or by a loaded mapping); undefined: the server's default. */
  const [sheet, setSheet] = useState<string | undefined>(restored.sheet);
  /** The header's line chosen (in step 1, or by a loaded mapping); undefined: the server finds it. */
  const [headerRow, setHeaderRow] = useState<number | undefined>(restored.headerRow);
  /** Another sheet read: its header is found again. */
  const chooseSheet = (next: string | undefined) => {
    setSheet(next);
    setHeaderRow(undefined);
  };
  const [draft, setDraft] = useState<(Draft & { upload: string }) | undefined>(restored.draft);
  const [dryRunId, setDryRunId] = useState<string | undefined>(restored.dryRunId);
  const [commitId, setCommitId] = useState<string | undefined>(restored.commitId);
  const [history, setHistory] = useState(restored.history);
  useEffect(() => {
    storeWizardState(user, { step, entity, upload, sheet, headerRow, draft, dryRunId, commitId, history });
  }, [user, step, entity, upload, sheet, headerRow, draft, dryRunId, commitId, history]);
  const [transformErrors, setTransformErrors] = useState<Record<string, string>>({});
  const [defaultErrors, setDefaultErrors] = useState<Record<string, string>>({});
  // Past the file, the entity is the target being edited (a mapping may import each row into several).
  const editing = step > 0 && draft ? draft.entity : entity;
  const suggestion = useQuery({
    queryKey: ['import', 'suggest', upload?.upload, editing, sheet ?? null, headerRow ?? null],
    queryFn: () => suggestMapping(upload!.upload, editing!, { sheet, headerRow }),
    enabled: upload !== undefined && editing !== undefined,
    // Another sheet of the same file and entity, or another target's mapping edited: the sheets and
    // columns shown stay until its answer comes (the page is not taken away from under the focus).
    placeholderData: (previous, query) => (query?.queryKey[2] === upload?.upload && (query?.queryKey[3] === editing || step > 0) ? previous : undefined),
    staleTime: Infinity,
    retry: false,
  });
  const startEntity = entity ? entities.data?.get(entity) : undefined;
  const entityDef = editing ? entities.data?.get(editing) : undefined;
  // Back from a reload to the mapping or the preview, whose file the server no longer has: the file
  // step says so (its upload refused), rather than a step with nothing on it.
  const lostFile = (step === 1 || step === 2) && suggestion.isError;
  useEffect(() => {
    if (lostFile) setStep(0);
  }, [lostFile]);

  const toMapping = () => {
    // A new file, entity, sheet or header row starts from the suggestion; coming back keeps the user's edits.
    if (!draft || draft.upload !== upload?.upload || !targetsOf(draft).some((target) => target.entity === entity) || draft.sheet !== suggestion.data?.sheet || draft.headerRow !== suggestion.data?.mapping.headerRow) setDraft({ ...draftFromSuggestion(entityDef!, suggestion.data!, entities.data!), upload: upload!.upload });
    setStep(1);
  };
  const restart = () => {
    setStep(0);
    setUpload(undefined);
    chooseSheet(undefined);
    setDraft(undefined);
    setDryRunId(undefined);
    setCommitId(undefined);
    setHistory(false);
    setTransformErrors({});
    setDefaultErrors({});
  };
  const onDraft = (d: Draft) => {
    // A transform edited is checked again by the next dry run.
    if (draft && Object.keys(transformErrors).some((f) => d.transforms[f] !== draft.transforms[f])) setTransformErrors(Object.fromEntries(Object.entries(transformErrors).filter(([f]) => d.transforms[f] === draft.transforms[f])));
    if (draft && Object.keys(defaultErrors).some((f) => d.defaults[f] !== draft.defaults[f])) setDefaultErrors(Object.fromEntries(Object.entries(defaultErrors).filter(([f]) => d.defaults[f] === draft.defaults[f])));
    // A loaded mapping's sheet is read when the workbook has it; otherwise the sheet being read stays.
    let next = d;
    if (d.sheet !== draft?.sheet) {
      if (d.sheet && suggestion.data?.sheets?.includes(d.sheet)) setSheet(d.sheet);
      else next = { ...d, sheet: draft?.sheet };
    }
    // A loaded mapping's header row is read from (the columns it names are there).
    if (next.headerRow !== draft?.headerRow) setHeaderRow(next.headerRow);
    setDraft({ ...next, upload: draft!.upload });
  };
  const showTransformErrors = (errors: Record<string, string>) => {
    setTransformErrors(errors);
    setStep(1);
  };
  const showDefaultErrors = (errors: Record<string, string>) => {
    setDefaultErrors(errors);
    focusOn.current = defaultInputId(Object.keys(errors)[0]!);
    setStep(1);
  };

  const steps = [t('importWizard.stepSource'), t('importWizard.stepMapping'), t('importWizard.stepPreview'), t('importWizard.stepDryRun'), t('importWizard.stepImport')];
  return (
    <div data-testid="import-wizard" ref={top}>
      {wide && <Steps current={step} size="small" items={steps.map((title) => ({ title }))} style={{ marginBottom: 24 }} />}
      {/* A phone has no room for five steps side by side (and stacked they fill the screen): it shows
          the step's heading instead; a wider screen shows the steps, the heading is for screen readers. */}
      <Typography.Title level={2} ref={heading} tabIndex={-1} className={wide ? 'crm-visually-hidden' : undefined} style={{ fontSize: 16, marginTop: 0, marginBottom: 16 }} data-testid="import-step-of">
        {t('importWizard.stepOf', { n: step + 1, total: steps.length, title: steps[step] })}
      </Typography.Title>
      {step === 0 && (
        <SourceStep
          entity={entity} onEntity={setEntity} upload={upload} onUpload={(u) => { setUpload(u); chooseSheet(undefined); }}
          sheet={sheet} onSheet={chooseSheet} headerRow={headerRow} onHeaderRow={setHeaderRow} suggestion={suggestion} onNext={toMapping}
        />
      )}
      {(step === 1 || step === 2) && (suggestion.isPending || entities.isPending) && <PageLoading />}
      {step === 1 && draft && entityDef && suggestion.data && (
        <MappingStep entity={entityDef} suggestion={suggestion.data} draft={draft} upload={draft.upload} onDraft={onDraft} onBack={() => setStep(0)} onNext={() => setStep(2)} transformErrors={transformErrors} defaultErrors={defaultErrors} />
      )}
      {step === 2 && draft && entityDef && suggestion.data && (
        <PreviewStep
          entity={entityDef} suggestion={suggestion.data} draft={draft} onDraft={onDraft} upload={upload!} history={history} onHistory={setHistory}
          onBack={() => setStep(1)} onDryRun={(id) => { setDryRunId(id); setStep(3); }} onTransformErrors={showTransformErrors} onDefaultErrors={showDefaultErrors}
        />
      )}
      {step === 3 && draft && dryRunId && (
        <DryRunStep jobId={dryRunId} draft={draft} upload={upload!} history={history} onBack={() => setStep(1)} onTransformErrors={showTransformErrors} onCommitted={(id) => { setCommitId(id); setStep(4); }} />
      )}
      {step === 4 && commitId && startEntity && <CommitStep jobId={commitId} entity={startEntity} dryRunId={dryRunId} onRestart={restart} />}
    </div>
  );
}
