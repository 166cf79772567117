// Acceptance 8: what a role may not read does not exist in the studio — an agent without the
// service desk role sees no service-desk menu entry and no service requests (page or API); an
// agent with it sees contracts but not their hidden annual value, on the contract's page or the
// client's related list.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext } from '../support/browser.ts';
import { signInContext, startStudioFixture, type StudioFixture } from '../support/studio-fixture.ts';

describe('studio: access', { timeout: 240_000 }, () => {
  let fx: StudioFixture;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let contractId = '';

  beforeAll(async () => {
    fx = await startStudioFixture();
    const contract = await fx.server.post('/api/data/contract', { name: 'Gold care 2026', account: fx.account.id, contractType: 'maintenance', slaLevel: 'premium', coverage: 'allDay', startDate: '2026-01-01', endDate: '2026-12-31', annualValue: 98765 });
    if (contract.status !== 201) throw new Error(JSON.stringify(contract.body));
    contractId = contract.body.id;
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await fx?.server.close();
  });

  it('an agent without the service desk role sees no service requests anywhere', async () => {
    const clientsOnly = await fx.server.createUser({ name: 'Carl Clients', roles: ['agent'] });
    context = await newContext(browser, fx.server.url);
    await signInContext(context, clientsOnly);
    page = await context.newPage();
    await page.goto('/');
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('menuitem', { name: 'Clients' }).first().waitFor();
    const entries = await nav.getByRole('menuitem').allTextContents();
    expect(entries).not.toContain('Service requests');
    expect(entries).not.toContain('Service contracts');
    expect(await nav.getByText('Service desk').count()).toBe(0);
    await page.goto('/e/serviceCase');
    await page.getByText('Page not found').waitFor();
    expect((await clientsOnly.client.get('/api/data/serviceCase')).status).toBeGreaterThanOrEqual(400);
    await context.close();
  });

  it('a hidden field is absent from the record page of an entity the role reads', async () => {
    context = await newContext(browser, fx.server.url);
    await signInContext(context, fx.agent);
    page = await context.newPage();
    await page.goto(`/e/contract/${contractId}`);
    await page.getByRole('heading', { name: 'Gold care 2026' }).waitFor();
    await page.getByText('SLA level').first().waitFor();
    expect(await page.getByText('Annual value').count()).toBe(0);
    expect(await page.content()).not.toContain('98765');
    expect(await page.content()).not.toContain('98,765');
    await context.close();
  });
});
