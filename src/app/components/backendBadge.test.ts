import { describe, expect, it } from 'vitest';
import { isSoftwareAdapter } from './BackendBadge';

describe('isSoftwareAdapter', () => {
  it('recognises software GPU adapters, and only for GPU backends', () => {
    expect(isSoftwareAdapter('webgpu', 'google swiftshader')).toBe(true);
    expect(isSoftwareAdapter('webgl', 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)))')).toBe(true);
    expect(isSoftwareAdapter('webgpu', 'llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareAdapter('webgpu', 'nvidia ada lovelace')).toBe(false);
    expect(isSoftwareAdapter('webgpu', undefined)).toBe(false);
    expect(isSoftwareAdapter('wasm', 'swiftshader')).toBe(false);
  });
});
