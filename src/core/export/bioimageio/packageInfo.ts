import { StudioError } from '../../errors';

/** A person credited in the package (bioimage.io's author entry). */
export interface PackageAuthor {
  readonly name: string;
  readonly affiliation?: string;
  readonly orcid?: string;
  readonly githubUser?: string;
}

/** A score the studio measured, for the documentation's Validation section. */
export interface ValidationScore {
  readonly name: string;
  readonly value: number;
  /** What it was measured on, e.g. "3 held-out slices, threshold 0.5". */
  readonly note?: string;
}

/** What the person exporting says about the model (the export form). */
export interface PackageInfo {
  readonly name: string;
  readonly description: string;
  readonly authors: readonly PackageAuthor[];
  /** An SPDX licence id, e.g. "CC-BY-4.0" or "MIT". */
  readonly license: string;
  readonly validation: readonly ValidationScore[];
  /** Where the validation scores come from (data set, slices, thresholds). */
  readonly validationNote?: string;
  readonly tags?: readonly string[];
}

/** Licences the export form offers: common SPDX ids, each accepted by the bioimage.io schema. */
export const PACKAGE_LICENSES = ['CC-BY-4.0', 'CC0-1.0', 'MIT', 'Apache-2.0', 'BSD-3-Clause', 'GPL-3.0-only', 'CC-BY-NC-4.0'] as const;

const ORCID = /^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$/;

/** Checks the form's fields against bioimage.io's limits, with a message that names the field. */
export function assertPackageInfo(info: PackageInfo): void {
  const fail = (message: string) => { throw new StudioError('invalid-config', `bioimage.io package: ${message}`); };
  const name = info.name.trim();
  if (name.length < 5 || name.length > 128) fail(`the model name must have 5 to 128 characters (it has ${name.length}).`);
  if (info.description.trim().length === 0 || info.description.length > 1024) fail(`the description must have 1 to 1024 characters (it has ${info.description.length}).`);
  if (info.authors.length === 0 || info.authors.some((a) => a.name.trim() === '')) fail('name at least one author, each with a name.');
  for (const author of info.authors) {
    if (author.orcid && !ORCID.test(author.orcid)) fail(`the ORCID of ${author.name} must look like 0000-0002-1825-0097 (got "${author.orcid}").`);
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9.+-]*$/.test(info.license)) fail(`the licence must be an SPDX id such as CC-BY-4.0 or MIT (got "${info.license}").`);
  for (const score of info.validation) {
    if (!Number.isFinite(score.value)) fail(`the validation score ${score.name} is not a number.`);
  }
}
