/**
 * `npm run bench`: runs every case in bench/cases/ and its peers (Python scripts on Debian's
 * /usr/bin/python3) in the same run, then writes bench/results/latest.{json,md} and a dated copy.
 * Usage: npm run bench [-- --only <id substring>[,<id substring>...]]  (rows whose id contains any of them; the peer
 *        scripts are told the keys those rows need (BENCH_KEYS) and measure only those; a partial run writes
 *        bench/results/partial.{json,md}, or --name <name> writes bench/results/<name>.{json,md})
 *        npm run bench -- --rounds <n>  (ours and the peers n times in turn: each row reports the median
 *        of the rounds, and "x first peer" the median of the rounds' own ratios; on a machine others
 *        share, a ratio of times taken minutes apart moves with their load)
 *        npm run bench -- --rerender  (rewrites latest.md from latest.json after a format change)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isSoftwareRenderer } from '../src/engine/softwareRenderer';
import type { BenchCase, BenchPeer, BenchReport } from './benchCase';
import { machine } from './machine';
import { SHARED_DATA } from './sharedData';

const ROOT = path.resolve(import.meta.dirname, '..');
const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';
const MIN_RUNS = 3;
const MAX_RUNS = 15;
const TIME_BUDGET_MS = 3000;

interface Row {
  id: string;
  group: string;
  description: string;
  ours: { medianMs: number; runs: number } | { error: string } | { skipped: string };
  peers: { name: string; medianMs: number | null; note?: string }[];
  /** With --rounds: each round's median of ours and of the first peer, measured one after the other. */
  rounds?: { oursMs: number | null; firstPeerMs: number | null }[];
  /** From the case's report(), where it has one. */
  backend?: string;
  adapter?: string;
  metrics?: Record<string, number>;
}

async function loadCases(only: readonly string[] | undefined): Promise<BenchCase[]> {
  const dir = path.join(ROOT, 'bench/cases');
  const cases: BenchCase[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts')).sort()) {
    const module = (await import(pathToFileURL(path.join(dir, file)).href)) as { cases?: BenchCase[] };
    cases.push(...(module.cases ?? []));
  }
  return only ? cases.filter((c) => only.some((part) => c.id.includes(part))) : cases;
}

async function timeCase(benchCase: BenchCase): Promise<Row['ours']> {
  try {
    await benchCase.setup?.();
    await (benchCase.warmUp ? benchCase.warmUp() : benchCase.run()); // warm-up: JIT, caches
    const times: number[] = [];
    const start = performance.now();
    while (times.length < MAX_RUNS && (times.length < (benchCase.minRuns ?? MIN_RUNS) || performance.now() - start < TIME_BUDGET_MS)) {
      const t = performance.now();
      const measured = await benchCase.run();
      times.push(typeof measured === 'number' ? measured : performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return { medianMs: times[Math.floor(times.length / 2)] as number, runs: times.length };
  } catch (error) {
    if (error instanceof Error && error.name === 'BenchSkip') return { skipped: error.message };
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** Runs each peer script once; on a partial run (`partial`) it is told the keys wanted (BENCH_KEYS, bench/peers/timing.py), so it can skip the rest. */
function runPeers(cases: BenchCase[], partial: boolean): Map<string, Record<string, number> | { error: string }> {
  const peers = cases.flatMap((c) => [c.peer, ...(c.extraPeers ?? [])]).filter((p): p is BenchPeer => !!p);
  const scripts = new Set(peers.map((p) => p.script));
  const results = new Map<string, Record<string, number> | { error: string }>();
  for (const script of scripts) {
    console.log(`peer: ${script} ...`);
    const keys = peers.filter((p) => p.script === script).map((p) => p.key).join(',');
    const env = partial ? { ...process.env, BENCH_KEYS: keys } : process.env;
    const node = peers.find((p) => p.script === script)?.runtime === 'node';
    const [command, args] = node ? [process.execPath, [...process.execArgv, path.join(ROOT, script), SHARED_DATA]] : [PYTHON, [path.join(ROOT, script), SHARED_DATA]];
    const run = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 24, env });
    if (run.status !== 0) {
      results.set(script, { error: `${node ? 'node' : PYTHON} ${script} failed: ${(run.stderr || run.error?.message || '').trim().split('\n').pop()}` });
      continue;
    }
    results.set(script, JSON.parse(run.stdout.trim().split('\n').pop() as string) as Record<string, number>);
  }
  return results;
}


function markdown(rows: Row[], meta: ReturnType<typeof machine>, date: string): string {
  const lines = [
    `# U-Net Studio benchmarks`,
    '',
    `${date}, ${meta.cpu} (${meta.cores} cores, ${meta.memoryGiB} GiB), Node ${meta.node}. ` +
      'Medians in milliseconds; "x first peer" is our time over the first peer\'s (below 1: we are faster), "speed-up" its inverse.',
    'Ours: TypeScript in Node, one thread, unless the group says otherwise. Peers run in the same session on the same machine.',
    '',
    gpuStatus(rows),
    '',
  ];
  for (const group of [...new Set(rows.map((r) => r.group))]) {
    lines.push(`## ${group}`, '', '| case | ours (ms) | peers (ms) | x first peer | speed-up vs first peer |', '| --- | ---: | --- | ---: | ---: |');
    for (const row of rows.filter((r) => r.group === group)) {
      const ours = 'medianMs' in row.ours ? row.ours.medianMs : null;
      const oursCell = 'medianMs' in row.ours ? row.ours.medianMs.toFixed(1) : 'skipped' in row.ours ? `skipped: ${row.ours.skipped}` : `failed: ${row.ours.error}`;
      const tags = [row.backend && `backend ${row.backend}`, row.adapter && `adapter ${row.adapter}`,
        ...Object.entries(row.metrics ?? {}).map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toPrecision(3)}`)].filter(Boolean);
      const peers = row.peers.map((p) => `${p.name}: ${p.medianMs === null ? `n/a (${p.note})` : p.medianMs.toFixed(1)}`).join('<br>') || 'none';
      const first = row.peers[0]?.medianMs ?? null;
      const speedup = ours !== null && first !== null ? (first / ours).toFixed(2) : 'n/a';
      const roundRatios = (row.rounds ?? []).filter((r) => r.oursMs !== null && r.firstPeerMs !== null).map((r) => (r.oursMs as number) / (r.firstPeerMs as number));
      const ratio = roundRatios.length > 1
        ? `${median(roundRatios).toFixed(2)} (rounds: ${roundRatios.map((r) => r.toFixed(2)).join(', ')})`
        : ours !== null && first !== null ? (ours / first).toFixed(2) : 'n/a';
      lines.push(`| **${row.id}**: ${row.description}${tags.length ? ` (${tags.join('; ')})` : ''} | ${oursCell} | ${peers} | ${ratio} | ${speedup} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
}

/** Says plainly whether any row ran on a real GPU, and where the GPU bench bundle's figures are when none did. */
function gpuStatus(rows: Row[]): string {
  const onGpu = rows.filter((r) => (r.backend === 'webgpu' || r.backend === 'webgl') && r.adapter && !isSoftwareRenderer(r.adapter) && 'medianMs' in r.ours);
  if (onGpu.length > 0) return `GPU rows: ${onGpu.length}, on ${[...new Set(onGpu.map((r) => r.adapter))].join(', ')}.`;
  return '**No GPU rows here.** No row of this run ran on a real GPU: the webgpu and webgl rows ran on a software renderer (SwiftShader) or were skipped. ' +
    'GPU figures come from the GPU bench bundle (`npm run bench:gpu-bundle`, docs/gpu-bench.md) on a machine with a GPU: bench/results/gpu-h200/ (an NVIDIA H200, 2026-11-30).';
}

/** A case's report() as row fields: its note joins the description. */
function reportOf(benchCase: BenchCase): Partial<Row> {
  let report: BenchReport | undefined;
  try {
    report = benchCase.report?.();
  } catch (error) {
    report = { note: `report failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!report) return {};
  return {
    ...(report.note ? { description: `${benchCase.description}; ${report.note}` } : {}),
    ...(report.backend ? { backend: report.backend } : {}),
    ...(report.adapter ? { adapter: report.adapter } : {}),
    ...(report.metrics ? { metrics: { ...report.metrics } } : {}),
  };
}

/** One row from each round's: medians of ours and of each peer over the rounds, and each round's pair kept. */
function combineRounds(last: Row, each: Row[]): Row {
  const oursOf = (row: Row) => ('medianMs' in row.ours ? row.ours.medianMs : null);
  const measured = each.map(oursOf).filter((v): v is number => v !== null);
  const ours: Row['ours'] = measured.length > 0 ? { medianMs: median(measured), runs: each.reduce((n, row) => n + ('runs' in row.ours ? row.ours.runs : 0), 0) } : last.ours;
  const peers = last.peers.map((peer, p) => {
    const values = each.map((row) => row.peers[p]?.medianMs).filter((v): v is number => typeof v === 'number');
    return values.length > 0 ? { name: peer.name, medianMs: median(values) } : peer;
  });
  return { ...last, ours, peers, rounds: each.map((row) => ({ oursMs: oursOf(row), firstPeerMs: row.peers[0]?.medianMs ?? null })) };
}

/** `--rerender`: rewrites latest.md from latest.json (a report format change without a 10-minute rerun). */
function rerender(): void {
  const outDir = path.join(ROOT, 'bench/results');
  const { date, machine: meta, rows } = JSON.parse(readFileSync(path.join(outDir, 'latest.json'), 'utf8')) as { date: string; machine: ReturnType<typeof machine>; rows: Row[] };
  writeFileSync(path.join(outDir, 'latest.md'), markdown(rows, meta, date));
  console.log('Rewrote bench/results/latest.md from latest.json');
}

async function main() {
  if (process.argv.includes('--rerender')) {
    rerender();
    return;
  }
  const onlyIndex = process.argv.indexOf('--only');
  const only = onlyIndex > 0 ? process.argv[onlyIndex + 1]?.split(',').filter((part) => part !== '') : undefined;
  const nameIndex = process.argv.indexOf('--name');
  const name = nameIndex > 0 ? process.argv[nameIndex + 1]?.replace(/[^a-z0-9._-]/gi, '') || undefined : undefined;
  const roundsIndex = process.argv.indexOf('--rounds');
  const rounds = roundsIndex > 0 ? Math.max(1, Number(process.argv[roundsIndex + 1]) || 1) : 1;
  const cases = await loadCases(only);
  let rows: Row[] = [];
  const perRound: Row[][] = [];
  for (let round = 0; round < rounds; round++) {
    rows = [];
    for (const benchCase of cases) {
      console.log(`ours${rounds > 1 ? ` (round ${round + 1} of ${rounds})` : ''}: ${benchCase.id} ...`);
      const ours = await timeCase(benchCase);
      rows.push({ id: benchCase.id, group: benchCase.group, description: benchCase.description, ours, peers: [], ...reportOf(benchCase) });
    }
    if (round === rounds - 1) for (const teardown of new Set(cases.map((c) => c.teardown).filter((t) => !!t))) await teardown();
    const peerResults = runPeers(cases, !!only);
    for (const [i, benchCase] of cases.entries()) {
      for (const peer of [benchCase.peer, ...(benchCase.extraPeers ?? [])].filter((p): p is BenchPeer => !!p)) {
        const result = peerResults.get(peer.script);
        const value = result && !('error' in result) ? result[peer.key] : undefined;
        rows[i]!.peers.push(value === undefined
          ? { name: peer.name, medianMs: null, note: result && 'error' in result ? String(result.error) : `no ${peer.key} in output` }
          : { name: peer.name, medianMs: value });
      }
    }
    perRound.push(rows);
  }
  if (rounds > 1) rows = rows.map((row, i) => combineRounds(row, perRound.map((r) => r[i] as Row)));

  const date = new Date().toISOString();
  const meta = machine();
  const outDir = path.join(ROOT, 'bench/results');
  mkdirSync(outDir, { recursive: true });
  const json = JSON.stringify({ date, machine: meta, rows }, null, 2) + '\n';
  const md = markdown(rows, meta, date);
  const stamp = `${date.slice(0, 10)}-${meta.host.replace(/[^a-z0-9-]/gi, '')}`;
  // A partial run (--only) must not replace the full tables.
  const names = name ? [name] : only ? ['partial'] : ['latest', stamp];
  for (const name of names) {
    writeFileSync(path.join(outDir, `${name}.json`), json);
    writeFileSync(path.join(outDir, `${name}.md`), md);
  }
  console.log(`\n${md}\nWrote ${names.map((n) => `bench/results/${n}.{json,md}`).join(' and ')}`);
}

await main();
