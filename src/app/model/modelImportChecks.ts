import type { ForeignModelSpec } from '../../core/bioimageioImport/foreignModelSpec';
import type { ModelMetadata } from '../../core/model/modelMetadata';
import type { StudioState } from '../../store/createStudioStore';
import { isolate } from '../../core/text/isolate';

/** What importing a model would do to the project: a reason it cannot, and a question to ask first. */
export interface ImportPlan {
  /** Why the import is refused (nothing changes); null when it may go ahead. */
  readonly refusal: string | null;
  /** What the user must agree to (a model or class list replaced); null when nothing is lost. */
  readonly question: string | null;
}

const channelWord = (channels: number) => (channels === 1 ? 'grey (1 channel)' : channels === 3 ? 'colour (3 channels)' : `${channels}-channel`);
const names = (classNames: readonly string[]) => classNames.map(isolate).join(', ');

/**
 * Checks a model (its metadata, already validated) against the project before anything is sent
 * to the engine: a run in progress, images of another channel count, labels using classes the
 * model lacks are refused; replacing a model or the class list is asked. `largestLabel` is the
 * highest class any slice's labels use (-1: none).
 */
export function planModelImport(metadata: ModelMetadata, fileName: string, state: StudioState, largestLabel: number): ImportPlan {
  const file = isolate(fileName);
  const { training, data, model } = state;
  if (training.status === 'running' || training.status === 'paused') {
    return { refusal: `Stop training before importing a model: the ${training.status} run trains the current model, and the import would replace it under it.`, question: null };
  }
  const { inputChannels, numClasses } = metadata.architecture;
  const otherChannels = [...new Set(data.slices.map((s) => s.channels))].filter((c) => c !== inputChannels);
  if (otherChannels.length > 0) {
    return {
      refusal: `${file} takes ${channelWord(inputChannels)} images, but the loaded slices are ${otherChannels.map(channelWord).join(' and ')}: ` +
        'it could not predict them. Load images like those it was trained on, or choose a model trained on these.',
      question: null,
    };
  }
  if (largestLabel >= numClasses) {
    return {
      refusal: `Your labels use class ${largestLabel}${data.classNames[largestLabel] ? ` (${isolate(data.classNames[largestLabel])})` : ''}, but ${file} knows ` +
        `${numClasses} classes (${names(metadata.classNames)}): it could not learn from them. Choose a model with at least ${largestLabel + 1} classes.`,
      question: null,
    };
  }
  const questions: string[] = [];
  if (model.available) questions.push(`Replace the current model (${model.description ?? 'unnamed'}) with ${file}? The current one is not kept: export it first to keep it.`);
  if (metadata.classNames.join('\u0000') !== data.classNames.join('\u0000')) {
    questions.push(`The project's classes (${names(data.classNames)}) become the model's (${names(metadata.classNames)}); painted labels keep their numbers.`);
  }
  return { refusal: null, question: questions.length > 0 ? questions.join('\n\n') : null };
}

/**
 * A third-party bioimage.io model (already read and checked by the core) against the project: a run
 * in progress and images that are not one channel are refused; replacing a model, or a class list of
 * another length, is asked. It predicts only, so the labels' classes need not fit it.
 */
export function planForeignModelImport(spec: ForeignModelSpec, fileName: string, state: StudioState): ImportPlan {
  const file = isolate(fileName);
  const { training, data, model } = state;
  if (training.status === 'running' || training.status === 'paused') {
    return { refusal: `Stop training before importing a model: the ${training.status} run trains the current model, and the import would replace it under it.`, question: null };
  }
  const otherChannels = [...new Set(data.slices.map((s) => s.channels))].filter((c) => c !== 1);
  if (otherChannels.length > 0) {
    return {
      refusal: `${file} takes grey (1 channel) images, but the loaded slices are ${otherChannels.map(channelWord).join(' and ')}: it could not predict them. ` +
        'Load one-channel images, or choose a model made for these.',
      question: null,
    };
  }
  const questions: string[] = [];
  if (model.available) questions.push(`Replace the current model (${model.description ?? 'unnamed'}) with ${file}? The current one is not kept: export it first to keep it.`);
  if (spec.classNames.length !== data.classNames.length) {
    questions.push(`The project's classes (${names(data.classNames)}) become the model's (${names(spec.classNames)}); painted labels keep their numbers.`);
  }
  questions.push(`${file} is a third-party model: the studio predicts with it but cannot train it.`);
  return { refusal: null, question: questions.join('\n\n') };
}
