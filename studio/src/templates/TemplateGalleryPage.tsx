// The template gallery (/admin/templates): bundled and uploaded templates with their modules.
// Install (chosen modules, with or without sample data), switch modules on and off one at a time,
// upgrade and uninstall — every step opens the dry run the API returns and applies only when the
// admin confirms.

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, Empty, Flex, List, Space, Switch, Typography } from 'antd';
import { Select } from '../app/localized-controls.tsx';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { listTemplates, runTemplateStep, templatesKey, type StepReport, type TemplateListing, type TemplateStep } from '../api/templates.ts';
import { DryRunDialog } from '../admin/DryRunDialog.tsx';
import { kindLabel } from '../admin/dry-run-model.ts';
import { ErrorState, PageLoading } from '../app/PageStates.tsx';
import { useLanguage } from '../app/use-language.ts';
import { navigationKey } from '../api/meta.ts';
import { UploadTemplate } from './UploadTemplate.tsx';
import { ToneTag } from '../admin/ToneTag.tsx';

/** A step the admin is looking at: the request plus what the dialog says about it. */
interface OpenStep {
  step: TemplateStep;
  title: string;
  confirmLabel: string;
  danger?: boolean;
}

export default function TemplateGalleryPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const templates = useQuery({ queryKey: templatesKey, queryFn: listTemplates });
  const [open, setOpen] = useState<OpenStep>();

  if (templates.isPending) return <PageLoading />;
  if (templates.isError) return <ErrorState error={templates.error} retry={() => void templates.refetch()} />;

  const applied = async (report: StepReport) => {
    setOpen(undefined);
    void message.success(t('gallery.applied', { template: report.template, revision: report.revision ?? '—' }));
    // A step changes the metadata every screen reads: start over from the new revision.
    await Promise.all([client.invalidateQueries({ queryKey: templatesKey }), client.invalidateQueries({ queryKey: navigationKey }), client.invalidateQueries({ queryKey: ['meta'] })]);
  };

  return (
    <div>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('gallery.title')}
      </Typography.Title>
      <Typography.Paragraph>{t('gallery.intro')}</Typography.Paragraph>
      <UploadTemplate onUploaded={() => void client.invalidateQueries({ queryKey: templatesKey })} />
      {templates.data.templates.length === 0 && <Empty description={t('gallery.none')} />}
      <Flex vertical gap={16} style={{ marginTop: 16 }}>
        {templates.data.templates.map((template) => (
          <TemplateCard key={template.name} template={template} onStep={setOpen} />
        ))}
      </Flex>
      <DryRunDialog<StepReport, StepReport>
        step={open ? { key: JSON.stringify(open.step), title: open.title, confirmLabel: open.confirmLabel, ...(open.danger ? { danger: true } : {}) } : undefined}
        dryRun={() => runTemplateStep(open!.step, true)}
        toModel={(r) => r}
        apply={() => runTemplateStep(open!.step, false)}
        onApplied={(r) => void applied(r)}
        onClose={() => setOpen(undefined)}
        extra={open ? <StepOptions step={open.step} template={templates.data.templates.find((x) => x.name === open.step.template)} onChange={(step) => setOpen({ ...open, step })} /> : undefined}
      />
    </div>
  );
}

/** Options the admin may still change while reading the dry run; each change asks for it again. */
function StepOptions({ step, template, onChange }: { step: TemplateStep; template: TemplateListing | undefined; onChange: (s: TemplateStep) => void }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const boxes: React.ReactNode[] = [];
  if (step.action === 'install' && template) {
    boxes.push(
      <fieldset key="modules" style={{ border: 0, padding: 0, margin: 0 }}>
        <legend style={{ fontSize: 14, fontWeight: 600, marginBottom: 4 }}>{t('gallery.modulesToInstall')}</legend>
        <Checkbox.Group
          value={step.modules ?? []}
          onChange={(modules) => onChange({ ...step, modules: modules as string[] })}
          options={template.modules.map((m) => ({ value: m.name, label: label(m.label, m.name) }))}
        />
        <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
          {t('gallery.dependenciesFollow')}
        </Typography.Paragraph>
      </fieldset>,
    );
  }
  if (step.action === 'install' || step.action === 'upgrade' || (step.action === 'module' && step.enabled)) {
    boxes.push(
      <Checkbox key="sample" checked={step.sampleData ?? false} onChange={(e) => onChange({ ...step, sampleData: e.target.checked })} data-testid="option-sample-data">
        {t('gallery.withSampleData')}
      </Checkbox>,
    );
  }
  if (step.action === 'uninstall') {
    boxes.push(
      <Checkbox key="delete" checked={step.deleteData ?? false} onChange={(e) => onChange({ ...step, deleteData: e.target.checked })} data-testid="option-delete-data">
        {t('gallery.deleteData')}
      </Checkbox>,
    );
  }
  if (boxes.length === 0) return null;
  return (
    <Card size="small" title={t('gallery.options')}>
      <Flex vertical gap={8}>
        {boxes}
      </Flex>
    </Card>
  );
}

function TemplateCard({ template, onStep }: { template: TemplateListing; onStep: (s: OpenStep) => void }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const title = label(template.title, template.name);
  const installed = template.installed;
  const newest = template.available[0];
  // Versions newer than the installed one, bundled or uploaded: the upgrade targets.
  const [target, setTarget] = useState<string>();
  const upgrades = installed ? template.available.filter((a) => a.version !== installed.version && isNewer(a.version, installed.version)) : [];
  const chosen = upgrades.find((a) => `${a.version}|${a.directory}` === target) ?? upgrades[0];
  const sourceOf = (a: TemplateListing['available'][number] | undefined) => (a && a.origin === 'uploaded' ? { source: { directory: a.directory } } : {});

  return (
    <Card
      data-testid={`template-${template.name}`}
      title={
        <Space wrap>
          <span>{title}</span>
          {installed ? <ToneTag tone="green">{t('gallery.installedVersion', { version: installed.version })}</ToneTag> : <ToneTag>{t('gallery.notInstalled')}</ToneTag>}
          {upgrades.length > 0 && <ToneTag tone="gold">{t('gallery.upgradeAvailable', { version: upgrades[0]!.version })}</ToneTag>}
        </Space>
      }
      extra={
        <Space wrap>
          {!installed && (
            <Button
              type="primary"
              data-testid={`install-${template.name}`}
              onClick={() =>
                onStep({
                  step: { action: 'install', template: template.name, modules: template.modules.filter((m) => m.enabledByDefault).map((m) => m.name), sampleData: false, ...sourceOf(newest) },
                  title: t('gallery.installTitle', { template: title, version: newest?.version ?? '' }),
                  confirmLabel: t('gallery.install'),
                })
              }
            >
              {t('gallery.install')}
            </Button>
          )}
          {installed && upgrades.length > 0 && (
            <>
              {upgrades.length > 1 && (
                <Select
                  aria-label={t('gallery.upgradeTarget')}
                  value={chosen ? `${chosen.version}|${chosen.directory}` : undefined}
                  onChange={setTarget}
                  options={upgrades.map((a) => ({ value: `${a.version}|${a.directory}`, label: `${a.version}${a.origin === 'uploaded' ? ` (${t('gallery.uploaded')})` : ''}` }))}
                  style={{ minWidth: 140 }}
                />
              )}
              <Button
                data-testid={`upgrade-${template.name}`}
                onClick={() =>
                  onStep({
                    step: { action: 'upgrade', template: template.name, ...(chosen?.origin === 'uploaded' ? sourceOf(chosen) : { version: chosen!.version }) },
                    title: t('gallery.upgradeTitle', { template: title, from: installed.version, to: chosen!.version }),
                    confirmLabel: t('gallery.upgrade'),
                  })
                }
              >
                {t('gallery.upgradeTo', { version: chosen!.version })}
              </Button>
            </>
          )}
          {installed && (
            <Button
              danger
              data-testid={`uninstall-${template.name}`}
              onClick={() => onStep({ step: { action: 'uninstall', template: template.name, deleteData: false }, title: t('gallery.uninstallTitle', { template: title }), confirmLabel: t('gallery.uninstall'), danger: true })}
            >
              {t('gallery.uninstall')}
            </Button>
          )}
        </Space>
      }
    >
      {template.description && <Typography.Paragraph>{label(template.description)}</Typography.Paragraph>}
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {t('gallery.versions', { versions: template.available.map((a) => `${a.version}${a.origin === 'uploaded' ? ` (${t('gallery.uploaded')})` : ''}`).join(', ') || '—' })}
        {installed && ` · ${t('gallery.source.' + installed.source.type)}`}
        {installed && installed.droppedOverlays > 0 && ` · ${t('gallery.droppedOverlays', { count: installed.droppedOverlays })}`}
      </Typography.Paragraph>
      <Typography.Title level={2} style={{ fontSize: 16 }}>
        {t('gallery.modules')}
      </Typography.Title>
      <List
        size="small"
        bordered
        dataSource={template.modules}
        renderItem={(m) => {
          const moduleTitle = label(m.label, m.name);
          const counts = Object.entries(m.items).map(([kind, names]) => t(`dryRun.kindCount.${kind}`, { count: names.length, defaultValue: t('dryRun.itemCount', { count: names.length, kind: kindLabel(t, kind) }) })).join(', ');
          return (
            <List.Item
              data-testid={`module-${template.name}-${m.name}`}
              actions={[
                installed ? (
                  <Switch
                    key="switch"
                    checked={m.on}
                    aria-label={t('gallery.moduleSwitch', { module: moduleTitle })}
                    data-testid={`switch-${template.name}-${m.name}`}
                    onChange={(enabled) =>
                      onStep({
                        step: { action: 'module', template: template.name, module: m.name, enabled, ...(enabled ? { sampleData: false } : {}) },
                        title: t(enabled ? 'gallery.enableTitle' : 'gallery.disableTitle', { module: moduleTitle, template: title }),
                        confirmLabel: t(enabled ? 'gallery.enable' : 'gallery.disable'),
                        ...(enabled ? {} : { danger: true }),
                      })
                    }
                  />
                ) : (
                  <ToneTag key="default">{m.enabledByDefault ? t('gallery.onByDefault') : t('gallery.optional')}</ToneTag>
                ),
              ]}
            >
              <List.Item.Meta
                title={
                  <Space wrap>
                    <span>{moduleTitle}</span>
                    {installed && (m.on ? <ToneTag tone="green">{t('gallery.on')}</ToneTag> : <ToneTag>{t('gallery.off')}</ToneTag>)}
                  </Space>
                }
                description={
                  <span style={{ color: '#4b5563' }}>
                    {m.description ? `${label(m.description)} ` : ''}
                    {counts && `(${counts})`}
                    {m.dependsOn.length > 0 && ` · ${t('gallery.needs', { modules: m.dependsOn.join(', ') })}`}
                  </span>
                }
              />
            </List.Item>
          );
        }}
      />
    </Card>
  );
}

/** semver-ish: compares dotted numbers, enough to order the versions the server lists. */
function isNewer(a: string, b: string): boolean {
  const pa = a.split(/[.-]/).map((x) => Number(x));
  const pb = b.split(/[.-]/).map((x) => Number(x));
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) > (pb[i] ?? 0);
  return false;
}
