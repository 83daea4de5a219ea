import { readFileSync, readdirSync } from 'node:fs';

/**
 * The resident memory of every Chromium process this Node process started (browser, renderer, GPU,
 * utility: its descendants in /proc), sampled every 250 ms, with the peak since the last reset.
 * Linux only; reads 0 elsewhere.
 */
export class ChromiumMemory {
  private timer: ReturnType<typeof setInterval> | null = null;
  private peak = 0;
  private last = 0;

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), 250);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  resetPeak(): void {
    this.peak = this.last;
  }

  peakGiB(): number {
    this.sample();
    return this.peak / 2 ** 30;
  }

  currentGiB(): number {
    this.sample();
    return this.last / 2 ** 30;
  }

  private sample(): void {
    this.last = descendantsOf(process.pid).reduce((sum, pid) => sum + residentBytes(pid), 0);
    this.peak = Math.max(this.peak, this.last);
  }
}

function descendantsOf(root: number): number[] {
  const children = new Map<number, number[]>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  for (const name of pids) {
    try {
      // stat: "pid (comm) state ppid ..."; comm may contain spaces, so read after the last ')'.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {
      // the process ended meanwhile
    }
  }
  const out: number[] = [];
  const stack = [...(children.get(root) ?? [])];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

function residentBytes(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
