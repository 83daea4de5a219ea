import type { Connectivity } from './connectedComponents';
import { connectedComponents } from './connectedComponents';

/** Instance ids for the connected components of one class (default: class 1, the foreground). */
export function semanticToInstances(classes: Int32Array, width: number, height: number, foregroundClass = 1, connectivity: Connectivity = 4): Int32Array {
  const mask = new Uint8Array(classes.length);
  for (let i = 0; i < mask.length; i++) mask[i] = classes[i] === foregroundClass ? 1 : 0;
  return connectedComponents(mask, width, height, connectivity).labels;
}

/** Class 1 wherever an instance is, class 0 elsewhere. */
export function instancesToSemantic(instances: Int32Array): Int32Array {
  const classes = new Int32Array(instances.length);
  for (let i = 0; i < instances.length; i++) classes[i] = (instances[i] as number) > 0 ? 1 : 0;
  return classes;
}
