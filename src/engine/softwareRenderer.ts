/**
 * Renderers that run on the CPU, not a GPU: Chromium's SwiftShader (WebGPU and, via ANGLE, WebGL),
 * Mesa's llvmpipe / lavapipe, Windows' Microsoft Basic Render Driver, and any WebGPU adapter the
 * browser marks as its fallback (describeAdapter appends "(fallback adapter)"). On them the GPU backends are
 * far slower than WebAssembly (browser bench, fast net at 64 px: training step webgpu 6.2 s,
 * webgl 2.1 s, wasm 0.31 s), so the studio tries them after wasm unless the user asks for them.
 */
export function isSoftwareRenderer(description: string | undefined): boolean {
  return /swiftshader|llvmpipe|lavapipe|software|basic render|fallback adapter/i.test(description ?? '');
}
