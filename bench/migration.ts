// bench/migration: what a migrating customer runs after the first import, at growing sizes, over real
// HTTP against a server in this process (test/support/test-server.ts) — to see costs that grow faster
// than the data. Per phase: wall time, main-thread CPU (Linux, /proc/thread-self/stat) and both per
// row, with the load average. Under tsx (as the tests run): compare sizes with each other, not with
// bench/import.ts's compiled figures.
//
//   npx tsx bench/migration.ts --sizes 10000,100000 [--phases accounts,accounts-again,contacts,rerun,dry,report,scan,export,cleanse,backup,undo] [--subscribed]
//
// --subscribed: an event subscription follows contacts (created, updated, deleted), so every write —
// an import's, a cleansing job's, an undo's — also records its event in the outbox (delivery is not
// run: the test server's scheduler has no timer); the outbox rows are counted at the end.
//
// Accounts (N/10, key: name, a plain text field as most CRMs hold it) are imported first; then contacts
// (N, key: code) whose account is a lookup resolved by the account's name, with a normalized rule on
// e-mail and a fuzzy one on name + company; then the contacts file again with 10 % of the rows changed.

import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importServices } from '../engine/import/import-module.ts';
import { findWorkflowRuntime } from '../engine/workflow/workflow-module.ts';
import { outboxCollection } from '../engine/subscriptions/outbox.ts';
import { startTestServer, type TestServer } from '../test/support/test-server.ts';
import { loadAverage } from './lib/machine-load.ts';

const account = {
  kind: 'entity', name: 'account', label: { en: 'Account', zh: '客户' }, titleField: 'name',
  fields: { name: { type: 'text', required: true }, industry: { type: 'text' }, city: { type: 'text' } },
};
const contact = {
  kind: 'entity', name: 'contact', label: { en: 'Contact', zh: '联系人' }, titleField: 'name',
  fields: {
    code: { type: 'text', required: true, unique: true },
    name: { type: 'text', required: true },
    email: { type: 'email' },
    company: { type: 'text' },
    account: { type: 'lookup', to: 'account' },
    amount: { type: 'currency', min: 0 },
    note: { type: 'text' },
  },
  cleansing: { name: { trim: true } },
  duplicateRules: {
    sameEmail: { match: ['email'], method: 'normalized', action: 'warn' },
    similarName: { match: ['name', 'company'], method: 'fuzzy', action: 'warn' },
  },
};

function mainThreadCpuMs(): number {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

async function writeLines(file: string, header: string, count: number, line: (i: number) => string): Promise<void> {
  const out = createWriteStream(file);
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve())));
  await write(`${header}\n`);
  for (let i = 1; i <= count; i++) await write(`${line(i)}\n`);
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

const firstNames = ['Ann', 'Bo', 'Cy', 'Dee', 'Eli', 'Fay', 'Gus', 'Hal', 'Ivy', 'Jo', 'Kai', 'Lu', 'Max', 'Ned', 'Ola', 'Pia'];
/** A contact's name: some 1 in 200 a near copy of the row before (a typo, another spacing). */
const personName = (i: number) => (i % 200 === 1 && i > 1 ? `${firstNames[(i - 1) % 16]} Smithh ${i - 1}` : `${firstNames[i % 16]} Smith ${i}`);

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const sizes = (option('--sizes') ?? '10000').split(',').map(Number);
  const phases = new Set((option('--phases') ?? 'accounts,accounts-again,contacts,rerun,dry,report,scan,export,cleanse,backup,undo').split(','));
  const lines = [`load average before: ${loadAverage()} (${os.cpus().length} cores)`, '', '| rows | phase | wall s | main CPU s | µs/row (CPU) | load |', '|---:|---|---:|---:|---:|---|'];
  for (const size of sizes) {
    const work = mkdtempSync(path.join(os.tmpdir(), 'crm-bench-migration-'));
    let server: TestServer | undefined;
    try {
      const accounts = Math.max(1, Math.floor(size / 10));
      const accountsCsv = path.join(work, 'accounts.csv');
      const contactsCsv = path.join(work, 'contacts.csv');
      const changedCsv = path.join(work, 'contacts-changed.csv');
      await writeLines(accountsCsv, 'name,industry,city', accounts, (i) => `Company ${i},Retail,City ${i % 50}`);
      const contactLine = (changed: boolean) => (i: number) => `C${i},${personName(i)},p${i}@example.com,Company ${(i % accounts) + 1},${(i * 37) % 10_000 + (changed && i % 10 === 0 ? 1 : 0)},`;
      await writeLines(contactsCsv, 'code,name,email,company,amount,note', size, contactLine(false));
      await writeLines(changedCsv, 'code,name,email,company,amount,note', size, contactLine(true));
      const subscribed = args.includes('--subscribed');
      server = await startTestServer({ env: { CRM_LOG_LEVEL: 'warn', BENCH_FEED_SECRET: 'bench-secret' } });
      const s = server;
      const feed = [
        { kind: 'role', name: 'feedReader', label: 'Feed reader', permissions: { contact: { read: 'all' } } },
        { kind: 'subscription', name: 'contactFeed', label: 'Contact feed', entity: 'contact', events: ['created', 'updated', 'deleted'], url: 'http://127.0.0.1:9/feed', secretRef: 'BENCH_FEED_SECRET', role: 'feedReader' },
      ];
      const put = await s.post('/api/meta/apply', { documents: [account, contact, ...(subscribed ? feed : [])] });
      if (put.status >= 300) throw new Error(`apply: ${put.status} ${JSON.stringify(put.body)}`);
      const service = importServices.get(s.server.services)!;
      // The job runs on this thread: a pooled connection the server closed meanwhile (its keep-alive timeout) is
      // reused before this side saw it close, and fails at once — asked again, on a new one.
      const again = <T>(request: () => Promise<T>) => request().catch(() => request());
      const upload = async (file: string) => {
        const res = await again(() => fetch(`${s.url}/api/import/uploads?name=${path.basename(file)}`, { method: 'POST', headers: { authorization: `Bearer ${s.admin!.token}`, 'content-type': 'text/csv' }, body: readFileSync(file) }));
        return ((await res.json()) as { upload: string }).upload;
      };
      const runJob = async (file: string, mapping: unknown, mode = 'validOnly') => {
        const uploaded = await upload(file);
        const started = await again(() => s.post<{ id: string }>('/api/import/jobs', { upload: uploaded, mapping, mode }));
        if (started.status !== 202) throw new Error(`job: ${started.status} ${JSON.stringify(started.body)}`);
        await service.idle();
        const job = await again(() => s.get<any>(`/api/import/jobs/${started.body.id}`));
        if (job.body.status !== 'done') throw new Error(`job ${job.body.status}: ${JSON.stringify(job.body).slice(0, 400)}`);
        return { id: started.body.id, counts: job.body.counts };
      };
      const measure = async (phase: string, rows: number, run: () => Promise<unknown>) => {
        if (!phases.has(phase.split(' ')[0]!)) return;
        const started = process.hrtime.bigint();
        const cpu = mainThreadCpuMs();
        const said = await run();
        const wall = Number(process.hrtime.bigint() - started) / 1e9;
        const cpuS = (mainThreadCpuMs() - cpu) / 1000;
        const row = `| ${size.toLocaleString('en')} | ${phase} | ${wall.toFixed(2)} | ${cpuS.toFixed(2)} | ${((cpuS * 1e6) / rows).toFixed(1)} | ${loadAverage()} |`;
        lines.push(row);
        process.stderr.write(`${row} ${said === undefined ? '' : JSON.stringify(said).slice(0, 200)}\n`);
      };
      const contactMapping = { name: 'contacts', targets: [{ entity: 'contact', key: ['code'], columns: { code: 'code', name: 'name', email: 'email', company: 'company', account: 'company', amount: 'amount', note: 'note' }, lookups: { account: { by: 'name' } } }] };
      const accountMapping = { name: 'accounts', targets: [{ entity: 'account', key: ['name'], columns: { name: 'name', industry: 'industry', city: 'city' } }] };
      await measure('accounts', accounts, async () => (await runJob(accountsCsv, accountMapping)).counts);
      // The same file again, keyed by the name (no index): every row found, none changed.
      await measure('accounts-again', accounts, async () => (await runJob(accountsCsv, accountMapping)).counts);
      await measure('contacts', size, async () => {
        return (await runJob(contactsCsv, contactMapping)).counts;
      });
      await measure('rerun (10 % changed)', size, async () => (await runJob(changedCsv, contactMapping)).counts);
      await measure('dry run of the re-run', size, async () => (await runJob(contactsCsv, contactMapping, 'dryRun')).counts);
      await measure('report', size, async () => (await again(() => s.get('/api/quality/contact/report'))).status);
      await measure('scan (normalized + fuzzy)', size, async () => {
        const res = await again(() => s.get<any>('/api/quality/contact/duplicates'));
        return { status: res.status, clusters: res.body.items?.length };
      });
      for (const format of ['csv', 'jsonl', 'xlsx']) {
        await measure(`export ${format} (amount ≥ 1000)`, size, async () => {
          const res = await again(() => fetch(`${s.url}/api/export/contact?format=${format}&filter=${encodeURIComponent(JSON.stringify({ amount: { $gte: 1000 } }))}`, { headers: { authorization: `Bearer ${s.admin!.token}` } }));
          return { status: res.status, bytes: (await res.arrayBuffer()).byteLength };
        });
      }
      await measure('cleanse (note, case)', size, async () => {
        const res = await again(() => s.put('/api/meta/entities/contact', { ...contact, cleansing: { ...contact.cleansing, company: { case: 'upper' } } }));
        if (res.status >= 300) throw new Error(`cleansing rule: ${res.status} ${JSON.stringify(res.body)}`);
        const started = await again(() => s.post<any>('/api/quality/contact/cleanse', { dryRun: false, fields: ['company'] }));
        if (started.status !== 202) throw new Error(`cleanse: ${started.status} ${JSON.stringify(started.body)}`);
        // The test server's scheduler has no timer: its queue runs the further slices when asked.
        const scheduler = findWorkflowRuntime(s.server.services)!.scheduler;
        let job: any;
        for (;;) {
          await scheduler.idle();
          await scheduler.runDue();
          job = await again(() => s.get<any>(`/api/quality/cleanse-jobs/${started.body.id}`));
          if (job.body.status !== 'running') break;
        }
        (globalThis as { cleanseJob?: string }).cleanseJob = started.body.id;
        return { status: job.body.status, counts: job.body.counts ?? job.body.changed };
      });
      await measure('cleanse undo', size, async () => {
        const id = (globalThis as { cleanseJob?: string }).cleanseJob;
        const res = await again(() => s.post<any>(`/api/quality/cleanse-jobs/${id}/undo`, {}));
        return { status: res.status, body: JSON.stringify(res.body).slice(0, 120) };
      });
      await measure('backup', size, async () => (await again(() => s.post<any>('/api/backups', {}))).body?.bytes);
      // Undo: of a second import of as many new contacts (the first one's records were changed since by the re-run and cleansing).
      const moreCsv = path.join(work, 'more-contacts.csv');
      await writeLines(moreCsv, 'code,name,email,company,amount,note', size, (i) => `D${i},Dee Jones ${i},d${i}@example.com,Company ${(i % accounts) + 1},${i % 5000},`);
      let moreJob: string | undefined;
      await measure('undo import', size, async () => {
        const job = await runJob(moreCsv, contactMapping);
        moreJob = job.id;
        return job.counts;
      });
      await measure('undo dry run', size, async () => {
        const body = (await again(() => s.post<any>(`/api/import/jobs/${moreJob}/undo?dryRun=1`, {}))).body;
        return { deleted: body.deleted, changedSince: body.changedSince?.length };
      });
      // The undo is a job: POST answers 202 at once; measured to its end (the service says when it is idle).
      await measure('undo', size, async () => {
        const res = await again(() => s.post<any>(`/api/import/jobs/${moreJob}/undo`, {}));
        if (res.status !== 202) throw new Error(`undo: ${res.status} ${JSON.stringify(res.body)}`);
        await importServices.get(s.server.services)!.idle();
        const job = (await again(() => s.get<any>(`/api/import/jobs/${moreJob}`))).body;
        return { status: job.status, deleted: job.undo?.deleted, changedSince: job.undo?.changedSince, done: `${job.undo?.done}/${job.undo?.total}` };
      });
      if (subscribed) lines.push('', `${size.toLocaleString('en')}: events recorded in the outbox: ${await s.server.services.store.count(outboxCollection.name, { kind: 'true' })}`);
    } finally {
      await server?.close();
      rmSync(work, { recursive: true, force: true });
    }
  }
  lines.push('', `load average after: ${loadAverage()}`);
  console.log(lines.join('\n'));
}

await main();
