import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('./server-process.ts', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  /** The API with its write guard. */
  url: string;
  /** The same API over the same database with the write guard off, for controls. */
  unguardedUrl: string;
}

// A start (node, tsx, the server's modules) takes a second on an idle machine and several times
// that on a loaded one, so there is no start deadline of its own: an exit is reported at once,
// a hang is bounded by the caller's hook timeout, and the child never outlives this process.
export function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.once('exit', () => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server process exited with ${code}`)));
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = out.match(/ready (\d+) (\d+)/);
      if (m) resolve({ child, url: `http://127.0.0.1:${m[1]}`, unguardedUrl: `http://127.0.0.1:${m[2]}` });
    });
  });
}

export async function stopAll(processes: ServerProcess[]) {
  await Promise.all(
    processes.map(
      (p) =>
        new Promise<void>((resolve) => {
          if (p.child.exitCode !== null) return resolve();
          p.child.once('exit', () => resolve());
          p.child.kill('SIGTERM');
        }),
    ),
  );
}
