// bench/lib/child: servers under test run in child processes (so the load generator in the parent
// never shares their event loop or CPU time); parent and child talk over the IPC channel.

import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';

type Handler = (args: any) => Promise<unknown> | unknown;

interface CallMessage {
  id: number;
  cmd: string;
  args: unknown;
}

interface ReplyMessage {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

/**
 * A CPU profile of the child's main thread over just the span the parent chooses (the measured
 * rounds, not start-up and loading as `--cpu-prof` has them): `profileStart`, then
 * `profileStop { file }` writes a .cpuprofile for bench/profile-summary.ts.
 */
const profiler: Record<string, Handler> = (() => {
  let session: Session | undefined;
  return {
    async profileStart(args: { intervalUs?: number }) {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: args?.intervalUs ?? 200 });
      await session.post('Profiler.start');
    },
    async profileStop(args: { file: string }) {
      if (!session) throw new Error('no profile was started');
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(args.file, JSON.stringify(profile));
      session.disconnect();
      session = undefined;
      return { file: args.file };
    },
  };
})();

/** Child side: answer the parent's calls with these handlers. `cpu`, `exit`, `profileStart` and `profileStop` are always understood. */
export function serveCalls(handlers: Record<string, Handler>): void {
  // If the parent dies, so does this server: no orphan keeps the port, the data folder or the parent's stdout.
  process.on('disconnect', () => process.exit(1));
  process.on('message', async (message: CallMessage) => {
    const reply = (r: Omit<ReplyMessage, 'id'>) => process.send!({ id: message.id, ...r });
    try {
      if (message.cmd === 'cpu') {
        // user + system CPU time of this process, in microseconds
        const usage = process.cpuUsage();
        reply({ ok: true, result: usage.user + usage.system });
        return;
      }
      if (message.cmd === 'exit') {
        reply({ ok: true });
        setTimeout(() => process.exit(0), 20);
        return;
      }
      const handler = handlers[message.cmd] ?? profiler[message.cmd];
      if (!handler) throw new Error(`unknown command ${message.cmd}`);
      reply({ ok: true, result: await handler(message.args) });
    } catch (error) {
      reply({ ok: false, error: (error as Error).stack ?? String(error) });
    }
  });
}

/** Parent side: one server process. */
export class ChildServer {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exited: Promise<void>;

  private constructor(private readonly child: ChildProcess, readonly label: string) {
    child.on('message', (message: ReplyMessage) => {
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new Error(`${label}: ${message.error}`));
    });
    this.exited = new Promise((resolve) => child.on('exit', () => resolve()));
    child.on('exit', (code) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`${label} exited with code ${code}`));
      this.pending.clear();
    });
  }

  /** Starts `script` (a .ts file under bench/) with tsx; `cpuProfileDir` turns on `--cpu-prof` (main thread: `CPU.*.<pid>.0.*`). */
  static start(script: URL, label: string, options: { cpuProfileDir?: string } = {}): ChildServer {
    const execArgv = ['--import', 'tsx', '--expose-gc'];
    // One profile per thread (tsx runs its module hooks on a worker): Node's default names keep them apart.
    if (options.cpuProfileDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`);
    const child = fork(fileURLToPath(script), [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new ChildServer(child, label);
  }

  call<T>(cmd: string, args: unknown = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, cmd, args } satisfies CallMessage);
    });
  }

  /** Asks the child to close its server and exit (a normal exit, so a CPU profile is written). */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    await this.call('close').catch(() => undefined);
    await this.call('exit').catch(() => undefined);
    await this.exited;
  }
}
