import { spawn } from 'node:child_process';

/** Runs a peer or worker process, its output relayed line by line under `label`; rejects when it exits non-zero. */
export function runChild(label: string, command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const relay = (chunk: Buffer) => { for (const line of chunk.toString().split('\n')) if (line.trim()) console.log(`[${label}] ${line}`); };
    child.stdout.on('data', relay);
    child.stderr.on('data', relay);
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${label} exited with ${code}`))));
  });
}
