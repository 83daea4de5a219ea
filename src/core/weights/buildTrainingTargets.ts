import type { Connectivity } from '../labels/connectedComponents';
import type { InterpretedLabels } from '../labels/interpretLabels';
import { applySeparationBorders } from '../labels/separationBorders';
import { semanticToInstances } from '../labels/semanticToInstances';
import type { WeightMapParams } from './computeWeightMap';
import { computeWeightMap } from './computeWeightMap';

export interface TargetParams extends WeightMapParams {
  /** Turn the pixels where two objects touch into background (the paper's separation borders). */
  readonly separateTouching: boolean;
  /** Connectivity that defines objects when the labels are semantic (no instance ids). */
  readonly connectivity: Connectivity;
}

export interface TrainingTargets {
  /** Classes per pixel after separation borders; UNLABELLED where not annotated. */
  readonly classes: Int32Array;
  /** The paper's weight map; 0 on unlabelled pixels. */
  readonly weights: Float32Array;
}

/**
 * Label slice -> what the loss needs. Objects are the instance ids when the labels have them,
 * else the connected components of the foreground class (for ISBI: the cells between membranes).
 */
export function buildTrainingTargets(labels: InterpretedLabels, width: number, height: number, params: TargetParams): TrainingTargets {
  let { classes } = labels;
  let instances = labels.instances ?? semanticToInstances(classes, width, height, 1, params.connectivity);
  if (labels.instances && params.separateTouching) {
    ({ classes, instances } = applySeparationBorders(classes, instances, width, height));
  }
  return { classes, weights: computeWeightMap(classes, instances, width, height, params) };
}
