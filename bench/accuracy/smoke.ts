/**
 * A quick check of bench:accuracy's evaluation path without training (about a minute):
 * `npx tsx bench/accuracy/smoke.ts`. An untrained model of the recipe predicts the five validation
 * slices as the studio would (studioPredictionTiling, the model rebuilt at the chosen tile), the
 * PyTorch peer predicts one slice with the same tile plan and blending, and the shared scorer runs.
 * Writes nothing.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { DEFAULT_NORMALISATION } from '../../src/core/image/normaliseImage';
import { buildUNet } from '../../src/core/model/buildUNet';
import { rebuildForTileSize } from '../../src/core/model/rebuildForTileSize';
import { FAST_UNET } from '../../src/core/model/unetConfig';
import { studioPredictionTiling } from '../../src/core/predict/choosePredictionTile';
import { planTiles } from '../../src/core/predict/planTiles';
import { predictTiled } from '../../src/core/predict/predictTiled';
import { FAST_TRAINING } from '../../src/core/train/trainingSettings';
import { useWasmBackend } from '../../src/testUtils/wasmBackend';
import { prepareIsbi } from './exchange';
import { scoreProbabilities } from './score';

await useWasmBackend();
const unet = { ...FAST_UNET, depth: 3, baseChannels: 16, tileSizePx: 128 }; // run.ts's recipe
const tiling = studioPredictionTiling(unet, 512, 512);
const tiles = planTiles({ imageWidthPx: 512, imageHeightPx: 512, inputTilePx: tiling.inputTilePx,
  borderPx: (tiling.inputTilePx - tiling.outputTilePx) / 2 + tiling.marginPx, overlapPx: tiling.overlapPx, alignPx: tiling.alignPx });
console.log(`tiling ${JSON.stringify(tiling)}: ${tiles.length} tile(s) per 512 px slice`);
const data = prepareIsbi(FAST_TRAINING.targets, DEFAULT_NORMALISATION);
const model = buildUNet(unet, 1);
const sized = rebuildForTileSize(model, unet, tiling.inputTilePx).model;
const probs = new Float32Array(5 * 512 * 512);
let t = Date.now();
for (const [i, sample] of data.validation.entries()) {
  const p = await predictTiled(sized, { data: sample.image, width: 512, height: 512, channels: 1 }, tiling);
  for (let j = 0; j < 512 * 512; j++) probs[i * 512 * 512 + j] = p.data[j * p.channels + 1] as number;
}
console.log(`tfjs: 5 slices predicted in ${((Date.now() - t) / 1000).toFixed(1)} s`);
t = Date.now();
const scores = scoreProbabilities(probs, data.validation);
console.log(`scored in ${((Date.now() - t) / 1000).toFixed(1)} s (untrained, so poor): ${JSON.stringify(scores)}`);
sized.dispose();
model.dispose();
const peer = path.join(import.meta.dirname, '../peers/unet_accuracy_torch.py');
const check = spawnSync(process.env.BENCH_PYTHON ?? '/usr/bin/python3', ['-c', `
import importlib.util, json, sys, numpy as np, torch
spec = importlib.util.spec_from_file_location('peer', ${JSON.stringify(peer)}); peer = importlib.util.module_from_spec(spec); spec.loader.exec_module(peer)
plan = json.loads(sys.argv[1])
model = peer.TorchUNet(3, 16, 'same', 1, 2, 0.2, True).eval()
out = peer.predict(model, np.random.default_rng(0).random((512, 512), dtype=np.float32), plan)
assert out.shape == (512, 512) and np.isfinite(out).all() and (0 <= out).all() and (out <= 1).all()
print('pytorch: one slice predicted with the same plan', out.shape, round(float(out.mean()), 4))
`, JSON.stringify({ ...tiling, tiles })], { encoding: 'utf8' });
process.stdout.write(check.stdout);
if (check.status !== 0) throw new Error(`PyTorch peer failed: ${check.stderr}`);
