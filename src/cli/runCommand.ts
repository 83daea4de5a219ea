import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildTiffExports, collectPredictedSlices } from '../app/model/predictionExports';
import { PredictionRegistry } from '../app/predict/predictionRegistry';
import type { TrainingHistory } from '../app/persistence/projectSchema';
import { chartSeries, curvesUpTo } from '../app/training/chartData';
import { nextTrainingChoices, settingsFromChoices } from '../app/training/trainingPresets';
import type { ProjectPredictionData } from '../core/project/projectSliceFiles';
import type { EngineEvent } from '../engine/protocol';
import type { Command } from './parseCommand';
import type { SlicePrediction } from './HeadlessEngine';
import { HeadlessEngine } from './HeadlessEngine';
import { startNodeBackend } from './nodeBackend';
import type { HeadlessProject } from './projectIo';
import { readHeadlessProject, writeHeadlessProject } from './projectIo';
import { progressLine } from './terminalProgress';

type Print = (line: string) => void;

/**
 * Trains the project's network as the page would (its choices, its model unless --fresh) and writes
 * the trained project (the training history goes on from the earlier runs, as the page's curve does;
 * predictions of the earlier model are kept, marked as such) and the model files.
 */
export async function runTrain(command: Extract<Command, { kind: 'train' }>, print: Print): Promise<void> {
  const project = await readHeadlessProject(command.project);
  const labelled = project.slices.filter((s) => s.classes !== null).length;
  print(`Project ${project.name}: ${project.slices.length} slice(s), ${labelled} labelled; classes ${project.classNames.join(', ')}.`);
  if (labelled === 0) throw new Error(`The project ${project.name} has no labelled slice to train on: paint or load labels in the studio first.`);
  const choices = {
    ...nextTrainingChoices(project.trainingChoices, command.preset !== null ? { preset: command.preset } : {}),
    ...(command.steps !== null ? { steps: command.steps } : {}),
  };
  const channels = project.slices.find((s) => s.classes !== null)?.channels ?? 1;
  const settings = settingsFromChoices(choices, project.classNames.length, channels);
  const backend = await startNodeBackend(command.backend);
  print(`Engine: ${backend.description}.`);

  const run = new RunRecorder();
  const engine = new HeadlessEngine((event) => {
    run.hear(event);
    const line = progressLine(event);
    if (line !== null) print(line);
  });
  engine.load(project.slices);
  const continuing = project.model !== null && !command.fresh && !choices.freshWeights;
  if (continuing && project.model) {
    const metadata = await engine.importModel(project.model);
    print(`Continuing the project's model (${metadata.training.steps} steps trained).`);
  }
  const stopOnInterrupt = () => {
    print('Stopping after this step (Ctrl-C again quits without writing)...');
    engine.stop();
    process.once('SIGINT', () => process.exit(130));
  };
  process.once('SIGINT', stopOnInterrupt);
  try {
    await engine.train(settings, !continuing);
  } finally {
    process.off('SIGINT', stopOnInterrupt);
  }
  const model = await engine.exportModel(project.classNames);
  const modelDir = path.join(command.out, 'model');
  await mkdir(modelDir, { recursive: true });
  await writeFile(path.join(modelDir, 'model.json'), model.modelJson);
  await writeFile(path.join(modelDir, model.weightsFileName), new Uint8Array(model.weights));
  await writeFile(path.join(modelDir, 'metadata.json'), model.metadataJson);
  const predictions = new Map([...project.predictions].map(([id, p]) => [id, { ...p, fromCurrentModel: run.steps === 0 && p.fromCurrentModel }]));
  const trained: HeadlessProject = { ...project, trainingChoices: choices, model, training: run.history(project.training), predictions };
  const written = await writeHeadlessProject(path.join(command.out, `${project.name}.zip`), trained);
  print(`Wrote ${written} (Import project in the studio opens it) and ${modelDir}${path.sep} (Import model takes it).`);
}

/** Predicts every slice with the project's model and writes the project with its predictions, and masks.tif / probabilities.tif as the page's export. */
export async function runPredict(command: Extract<Command, { kind: 'predict' }>, print: Print): Promise<void> {
  const project = await readHeadlessProject(command.project);
  if (!project.model) throw new Error(`The project ${project.name} has no model: train it first (in the studio, or with unet-studio train).`);
  print(`Project ${project.name}: ${project.slices.length} slice(s).`);
  const backend = await startNodeBackend(command.backend);
  print(`Engine: ${backend.description}.`);
  const engine = new HeadlessEngine((event) => {
    const line = progressLine(event);
    if (line !== null) print(line);
  });
  engine.load(project.slices);
  await engine.importModel(project.model);
  const stop = () => engine.stop();
  process.once('SIGINT', stop);
  let done: SlicePrediction[];
  try {
    done = await engine.predict(project.slices.map((s) => s.id), command.tta);
  } finally {
    process.off('SIGINT', stop);
  }
  await mkdir(command.out, { recursive: true });
  // Through the page's own registry and export, so the files are the page's (its class rule, its layout).
  const registry = new PredictionRegistry();
  for (const p of done) registry.finish(p.sliceId, p.width, p.height, p.numClasses, p.quantised, p.instances, p.instanceCount);
  const tiffs = buildTiffExports(collectPredictedSlices(project.slices, registry, project.predictionThreshold));
  for (const file of tiffs) await writeFile(path.join(command.out, file.name), file.bytes);
  const predictions = new Map<string, ProjectPredictionData>(project.predictions);
  for (const p of done) predictions.set(p.sliceId, { numClasses: p.numClasses, quantised: p.quantised, instances: p.instances, instanceCount: p.instanceCount, fromCurrentModel: true });
  const written = await writeHeadlessProject(path.join(command.out, `${project.name}.zip`), { ...project, predictions });
  print(`Predicted ${done.length} of ${project.slices.length} slice(s). Wrote ${written} and ${tiffs.map((f) => path.join(command.out, f.name)).join(', ')}.`);
}

/** This run's curve, and the project's history after it as the page keeps it (chartData: earlier runs up to the step this one continues from). */
class RunRecorder {
  private fromStep = 0;
  private totalSteps = 0;
  private bestStep: number | null = null;
  private readonly losses: { step: number; loss: number }[] = [];
  private readonly validation: { step: number; loss: number; foregroundIoU: number }[] = [];

  get steps(): number { return this.losses.length; }

  hear(event: EngineEvent): void {
    if (event.type === 'train/started') {
      this.fromStep = event.fromStep;
      this.totalSteps = event.totalSteps;
    }
    if (event.type === 'train/progress') this.losses.push({ step: event.step, loss: event.loss });
    if (event.type === 'train/validation') this.validation.push({ step: event.step, loss: event.loss, foregroundIoU: event.foregroundIoU });
    if (event.type === 'train/done') this.bestStep = event.bestStep;
  }

  history(previous: TrainingHistory): TrainingHistory {
    const before = { fromStep: previous.fromStep ?? 0, earlier: previous.earlier ?? { losses: [], validation: [] }, losses: previous.losses, validation: previous.validation };
    const earlier = this.fromStep > 0 ? curvesUpTo(chartSeries(before), this.fromStep) : { losses: [], validation: [] };
    return { losses: this.losses, validation: this.validation, bestStep: this.bestStep, totalSteps: this.totalSteps, fromStep: this.fromStep, earlier };
  }
}
