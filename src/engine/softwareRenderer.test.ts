import { describe, expect, it } from 'vitest';
import { isSoftwareRenderer } from './softwareRenderer';

describe('isSoftwareRenderer', () => {
  it('recognises CPU renderers by the names browsers report, and nothing else', () => {
    expect(isSoftwareRenderer('google swiftshader')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)')).toBe(true);
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0)')).toBe(true);
    expect(isSoftwareRenderer('google vulkan (fallback adapter)')).toBe(true);
    expect(isSoftwareRenderer('nvidia ada lovelace')).toBe(false);
    expect(isSoftwareRenderer('ANGLE (Apple, ANGLE Metal Renderer: Apple M2, Unspecified Version)')).toBe(false);
    expect(isSoftwareRenderer(undefined)).toBe(false);
  });
});
