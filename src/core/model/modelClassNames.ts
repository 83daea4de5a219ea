/**
 * The class names a model's metadata carries. The project may name more classes than the model
 * predicts (a class added after training): the model learned the first ones, so it keeps their
 * names; with fewer names than classes (a project that does not match at all) every class gets a
 * plain default name.
 */
export function modelClassNames(projectNames: readonly string[], numClasses: number): string[] {
  if (projectNames.length >= numClasses) return projectNames.slice(0, numClasses);
  return Array.from({ length: numClasses }, (_, k) => (k === 0 ? 'background' : `class ${k}`));
}
