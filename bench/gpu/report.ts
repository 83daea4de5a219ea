import type { KernelProfile } from './profileKernels';
/**
 * The GPU bench's output: rows in bench/results/latest.json's format (id, group, description,
 * ours, peers) plus the tags that tell them apart when merged (backend, adapter, machine) and
 * GFLOP/s. Merge key with the CPU bench's rows: id + backend.
 */
import { machine } from '../machine';
import type { AdapterSummary } from '../../src/cli/dawn';

export interface GpuRow {
  id: string;
  group: string;
  description: string;
  ours: { medianMs: number; runs: number } | { error: string };
  /** No peers run on the GPU machine; kept for the shared row format. */
  peers: { name: string; medianMs: number | null; note?: string }[];
  backend: string;
  adapter: string;
  machine: { cpu: string; gpu: string };
  /** Work of one run, where counted (training step: 3x forward). */
  gflop?: number;
  gflopPerSecond?: number;
  /** The backend's memory after the row's runs (engineMemory.ts: on webgpu the buffer pool, a high-water mark since the bench started). */
  memoryMiB?: number;
  /** --profile: GPU time per kernel name over one more run (bench/gpu/profileKernels.ts). */
  profile?: KernelProfile;
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  platform: string;
  node: string;
  host: string;
  gpu: string;
}

export interface GpuReport {
  date: string;
  mode: 'quick' | 'full';
  machine: MachineInfo;
  backend: string;
  adapter: AdapterSummary;
  dawn: { addonPath: string; options: string[] };
  rows: GpuRow[];
}

export function machineInfo(gpu: string): MachineInfo {
  return { ...machine(), gpu };
}

/** One decimal from 10 GFLOP/s up, three significant digits below (software adapters run at ~0.1). */
export function formatGflops(value: number): string {
  return value >= 10 ? value.toFixed(1) : value.toPrecision(3);
}

export function markdown(report: GpuReport): string {
  const { machine: m, adapter: a } = report;
  const lines = [
    '# U-Net Studio GPU benchmarks (Node + Dawn)',
    '',
    `${report.date}, ${report.mode} run. Backend: tfjs ${report.backend} in Node ${m.node} through Dawn (dawn.node).`,
    `GPU adapter: **${a.description}** (max storage buffer binding ${(a.limits.maxStorageBufferBindingSize / 2 ** 20).toFixed(0)} MiB, ` +
      `max buffer ${(a.limits.maxBufferSize / 2 ** 20).toFixed(0)} MiB). CPU: ${m.cpu} (${m.cores} cores, ${m.memoryGiB} GiB), ${m.platform}, host ${m.host}.`,
    'Medians in milliseconds; an untimed warm-up run first compiles the shaders (for tiled prediction: one tile). GFLOP/s counts multiply-adds x 2 of every conv',
    '(bench/cases/model.ts forwardGflop); a training step counts as 3x the forward pass. No peers run here.',
    'Memory: the GPU buffers tfjs holds after the row (its pool never shrinks, so this is the high-water mark of this row and all before it).',
    '',
  ];
  if (/swiftshader|llvmpipe|lavapipe|cpu/i.test(`${a.description} ${a.info.architecture}`)) {
    lines.push('**This adapter is a software rasteriser on the CPU, not a GPU: these are not GPU figures.**', '');
  }
  for (const group of [...new Set(report.rows.map((r) => r.group))]) {
    lines.push(`## ${group}`, '', '| case | ours (ms) | GFLOP/s | runs | memory (MiB) |', '| --- | ---: | ---: | ---: | ---: |');
    for (const row of report.rows.filter((r) => r.group === group)) {
      if ('error' in row.ours) {
        lines.push(`| **${row.id}**: ${row.description} | failed: ${row.ours.error.replace(/\|/g, '\\|').replace(/\n/g, ' ')} | n/a | 0 | ${row.memoryMiB ?? 'n/a'} |`);
      } else {
        lines.push(`| **${row.id}**: ${row.description} | ${row.ours.medianMs.toFixed(1)} | ${row.gflopPerSecond !== undefined ? formatGflops(row.gflopPerSecond) : 'n/a'} | ${row.ours.runs} | ${row.memoryMiB ?? 'n/a'} |`);
      }
    }
    lines.push('');
  }
  return lines.join('\n');
}
