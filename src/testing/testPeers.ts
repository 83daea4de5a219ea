/**
 * The independent references some tests read (Debian's Python packages, the real data in
 * ../shared/data). Locally a missing one skips those checks; where UNET_STUDIO_REQUIRE_PEERS=1
 * (.ci/run sets it) it throws, so a check CI is meant to run can never turn into a silent skip.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Debian's interpreter: the first `python3` on PATH may be another one without these packages. */
export const PYTHON = '/usr/bin/python3';

/** ../shared/data beside the repository. */
export const SHARED_DATA = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../shared/data');

/** ../shared/reference beside the repository: format specifications (the bioimage.io JSON Schema). */
export const SHARED_REFERENCE = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../shared/reference');

const required = (): boolean => process.env.UNET_STUDIO_REQUIRE_PEERS === '1';

/** Whether every path (relative to ../shared/reference) exists. */
export function hasSharedReference(...relativePaths: string[]): boolean {
  const missing = relativePaths.map((p) => path.join(SHARED_REFERENCE, p)).filter((p) => !existsSync(p));
  if (missing.length > 0 && required()) throw new Error(`The reference files are missing (${missing.join(', ')}): put ../shared beside the repository.`);
  return missing.length === 0;
}

/** Whether /usr/bin/python3 imports every module in `modules`. */
export function hasPythonModules(...modules: string[]): boolean {
  try {
    execFileSync(PYTHON, ['-c', `import ${modules.join(', ')}`], { stdio: 'ignore' });
    return true;
  } catch {
    if (required()) throw new Error(`${PYTHON} cannot import ${modules.join(', ')}: install Debian's python3 packages for them (.ci/run does).`);
    return false;
  }
}

/** Whether every path (relative to ../shared/data) exists. */
export function hasSharedData(...relativePaths: string[]): boolean {
  const missing = relativePaths.map((p) => path.join(SHARED_DATA, p)).filter((p) => !existsSync(p));
  if (missing.length > 0 && required()) throw new Error(`The real data is missing (${missing.join(', ')}): put ../shared beside the repository.`);
  return missing.length === 0;
}

/** Chromium's SwiftShader Vulkan driver (Debian's chromium package): a WebGPU adapter for Dawn in Node without a GPU. */
export const SWIFTSHADER_VULKAN = { libraryPath: '/usr/lib/chromium', icd: '/usr/lib/chromium/vk_swiftshader_icd.json' };

/** Whether Dawn in Node can get a software WebGPU adapter here (SwiftShader from Debian's chromium). */
export function hasSwiftShaderVulkan(): boolean {
  if (existsSync(SWIFTSHADER_VULKAN.icd)) return true;
  if (required()) throw new Error(`${SWIFTSHADER_VULKAN.icd} is missing: install Debian's chromium (.ci/run does).`);
  return false;
}
