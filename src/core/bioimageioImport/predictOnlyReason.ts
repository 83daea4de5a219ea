import { isolate } from '../text/isolate';

/** Why a third-party model cannot train, and what to do instead (the engine and the Train step say the same). */
export function predictOnlyReason(modelName: string): string {
  return `The current model is the third-party bioimage.io model ${isolate(modelName)}, which the studio runs to predict only: training needs a studio model. ` +
    'Choose "Start from: fresh weights" to train a new U-Net in its place, or a starter model.';
}
