/**
 * Builds the self-contained GPU bench bundle (docs/gpu-bench.md):
 *
 *   dist-gpu-bench/unet-studio-gpu-bench/
 *     bench.mjs      bench/gpu/main.ts with tfjs and our code inlined (esbuild)
 *     dawn.node      WebGPU for Node (Dawn), from the `webgpu` package
 *     node           this Node binary (process.execPath)
 *     vulkan/        Vulkan loader (used only where the system has none) and SwiftShader (--swiftshader)
 *     run.sh         sets the Vulkan environment and runs ./node bench.mjs
 *   dist-gpu-bench/unet-studio-gpu-bench.tar.gz
 *
 * No npm install on the target: copy the tarball, unpack, ./run.sh. The bundle is for the
 * platform it is built on (linux-x64 here): the node binary and dawn.node are native.
 *
 * Usage: node scripts/buildGpuBench.mjs [--no-vulkan] [--xz] [--out dist-gpu-bench]
 *   --xz also writes unet-studio-gpu-bench.tar.xz (about 30% smaller than the .tar.gz, slower to pack).
 *   SWIFTSHADER_DIR (default /usr/lib/chromium) is where libvulkan.so.1, libvk_swiftshader.so and
 *   vk_swiftshader_icd.json are taken from; without them the bundle still works on a GPU machine
 *   that has a Vulkan loader, and --swiftshader then needs SWIFTSHADER_DIR on the target.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const ROOT = path.resolve(import.meta.dirname, '..');
const NAME = 'unet-studio-gpu-bench';
const outIndex = process.argv.indexOf('--out');
const OUT = path.resolve(ROOT, outIndex > 0 ? process.argv[outIndex + 1] : 'dist-gpu-bench');
const BUNDLE = path.join(OUT, NAME);
const WITH_VULKAN = !process.argv.includes('--no-vulkan');
const SWIFTSHADER_DIR = process.env.SWIFTSHADER_DIR ?? '/usr/lib/chromium';
const VULKAN_FILES = ['libvulkan.so.1', 'libvk_swiftshader.so', 'vk_swiftshader_icd.json'];

function dawnAddon() {
  const pkg = createRequire(import.meta.url).resolve('webgpu/package.json');
  const arch = process.platform === 'darwin' ? 'universal' : process.arch;
  const addon = path.join(path.dirname(pkg), 'dist', `${process.platform}-${arch}`, 'dawn.node');
  if (!existsSync(addon)) throw new Error(`No dawn.node for ${process.platform}-${arch} in the webgpu package (${addon}).`);
  return addon;
}

const RUN_SH = `#!/usr/bin/env bash
# U-Net Studio GPU bench (Node + Dawn + Vulkan). docs/gpu-bench.md in the repository.
# Usage: ./run.sh [--swiftshader] [--quick] [--only ID] [--out DIR] [--predict-tile PX] [--adapter NAME] ...
#   --swiftshader  run on the bundled SwiftShader (CPU Vulkan): a smoke test, not GPU figures.
# Anything else goes to the bench (bench.mjs). Results: ./gpu-bench-results/ (or --out).
set -euo pipefail
DIR="$(cd "$(dirname "\${BASH_SOURCE[0]}")" && pwd)"
args=()
swiftshader=0
for a in "$@"; do
  if [ "$a" = "--swiftshader" ]; then swiftshader=1; else args+=("$a"); fi
done

has_loader() { { /sbin/ldconfig -p 2>/dev/null || ldconfig -p 2>/dev/null || true; } | grep -q 'libvulkan\\.so\\.1'; }

if [ "$swiftshader" = 1 ]; then
  sdir="$DIR/vulkan"
  [ -f "$sdir/vk_swiftshader_icd.json" ] || sdir="\${SWIFTSHADER_DIR:-/usr/lib/chromium}"
  if [ ! -f "$sdir/vk_swiftshader_icd.json" ]; then
    echo "run.sh: no SwiftShader in $DIR/vulkan or \\$SWIFTSHADER_DIR" >&2; exit 2
  fi
  export VK_ICD_FILENAMES="$sdir/vk_swiftshader_icd.json" VK_DRIVER_FILES="$sdir/vk_swiftshader_icd.json"
  export LD_LIBRARY_PATH="$sdir\${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  echo "run.sh: SwiftShader from $sdir (CPU Vulkan, not a GPU)"
else
  if ! has_loader && [ -f "$DIR/vulkan/libvulkan.so.1" ]; then
    # The loader only: it finds the GPU driver through the system's ICD manifests.
    export LD_LIBRARY_PATH="$DIR/vulkan\${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    echo "run.sh: no system Vulkan loader; using the bundled one"
  fi
  if [ -z "\${VK_ICD_FILENAMES:-}\${VK_DRIVER_FILES:-}" ] && ! ls /usr/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json >/dev/null 2>&1; then
    for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/local/share/vulkan/icd.d/nvidia_icd.json; do
      if [ -f "$icd" ]; then
        export VK_ICD_FILENAMES="$icd" VK_DRIVER_FILES="$icd"
        echo "run.sh: Vulkan driver manifest $icd"
        break
      fi
    done
  fi
fi
exec "$DIR/node" "$DIR/bench.mjs" "\${args[@]+"\${args[@]}"}"
`;

function mib(bytes) {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

async function main() {
  rmSync(BUNDLE, { recursive: true, force: true });
  mkdirSync(BUNDLE, { recursive: true });

  const result = await build({
    entryPoints: [path.join(ROOT, 'bench/gpu/main.ts')],
    outfile: path.join(BUNDLE, 'bench.mjs'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // Whitespace and syntax only: function names stay readable in stack traces from the GPU machine.
    minifyWhitespace: true,
    minifySyntax: true,
    keepNames: true,
    legalComments: 'eof',
    metafile: true,
    logLevel: 'warning',
    // CommonJS dependencies (tfjs's node builds) call require() for Node built-ins.
    banner: { js: "import { createRequire as __unetCreateRequire } from 'node:module'; const require = __unetCreateRequire(import.meta.url);" },
    // The wasm backend comes in through bench/cases/model.ts (for its FLOP count) but never runs here.
    plugins: [{
      name: 'no-wasm-backend',
      setup(b) {
        b.onResolve({ filter: /testUtils\/wasmBackend$/ }, () => ({ path: 'wasmBackend-stub', namespace: 'stub' }));
        b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
          contents: "export async function useWasmBackend() { throw new Error('The GPU bench bundle has no wasm backend.'); }",
          loader: 'js',
        }));
      },
    }],
  });
  const inputs = Object.keys(result.metafile.inputs);
  if (inputs.some((p) => p.includes('tfjs-backend-wasm'))) throw new Error('tfjs-backend-wasm ended up in the bundle.');
  const cores = new Set(inputs.filter((p) => p.includes('tfjs-core/dist')).map((p) => p.replace(/\/dist\/.*/, '')));
  if (cores.size !== 1) throw new Error(`Expected one tfjs-core in the bundle, found: ${[...cores].join(', ')}`);

  copyFileSync(dawnAddon(), path.join(BUNDLE, 'dawn.node'));
  copyFileSync(process.execPath, path.join(BUNDLE, 'node'));
  chmodSync(path.join(BUNDLE, 'node'), 0o755);
  if (WITH_VULKAN) {
    const missing = VULKAN_FILES.filter((f) => !existsSync(path.join(SWIFTSHADER_DIR, f)));
    if (missing.length > 0) {
      console.warn(`No ${missing.join(', ')} in ${SWIFTSHADER_DIR}: bundle without the Vulkan loader and SwiftShader.`);
    } else {
      mkdirSync(path.join(BUNDLE, 'vulkan'));
      for (const f of VULKAN_FILES) copyFileSync(path.join(SWIFTSHADER_DIR, f), path.join(BUNDLE, 'vulkan', f));
    }
  }
  writeFileSync(path.join(BUNDLE, 'run.sh'), RUN_SH);
  chmodSync(path.join(BUNDLE, 'run.sh'), 0o755);
  writeFileSync(path.join(BUNDLE, 'README.txt'), [
    'U-Net Studio GPU bench: the studio\'s U-Net on tfjs webgpu in Node, through Dawn and Vulkan.',
    `Built ${new Date().toISOString()} with Node ${process.version} for ${process.platform}-${process.arch}.`,
    '',
    '  ./run.sh                 full run on the GPU (needs a Vulkan driver)',
    '  ./run.sh --quick         small sizes only',
    '  ./run.sh --swiftshader --quick   smoke test on the bundled SwiftShader (CPU)',
    '',
    'Results go to ./gpu-bench-results/gpu-latest.{json,md}. See docs/gpu-bench.md in the repository.',
    'Licences: Node.js (MIT and others, https://github.com/nodejs/node/blob/main/LICENSE), Dawn (BSD-3-Clause),',
    'TensorFlow.js (Apache-2.0), Vulkan loader and SwiftShader (Apache-2.0); bench.mjs ends with the bundled licence comments.',
    '',
  ].join('\n'));

  const tarball = path.join(OUT, `${NAME}.tar.gz`);
  rmSync(tarball, { force: true });
  const tar = spawnSync('tar', ['-czf', tarball, '-C', OUT, NAME], { stdio: 'inherit' });
  if (tar.status !== 0) throw new Error('tar failed');

  const archives = [tarball];
  const xz = path.join(OUT, `${NAME}.tar.xz`);
  rmSync(xz, { force: true });
  if (process.argv.includes('--xz')) {
    if (spawnSync('tar', ['-cJf', xz, '-C', OUT, NAME], { stdio: 'inherit' }).status !== 0) throw new Error('tar -J failed');
    archives.push(xz);
  }

  const files = ['bench.mjs', 'dawn.node', 'node', ...(existsSync(path.join(BUNDLE, 'vulkan')) ? VULKAN_FILES.map((f) => `vulkan/${f}`) : []), 'run.sh'];
  console.log(`\n${path.relative(ROOT, BUNDLE)}/`);
  for (const f of files) {
    const bytes = readFileSync(path.join(BUNDLE, f));
    console.log(`  ${f.padEnd(28)} ${mib(bytes.length).padStart(10)}   gzip ${mib(gzipSync(bytes).length).padStart(10)}`);
  }
  for (const archive of archives) console.log(`${path.relative(ROOT, archive)}: ${mib(statSync(archive).size)}`);
  console.log('Run it: tar -xzf unet-studio-gpu-bench.tar.gz && ./unet-studio-gpu-bench/run.sh --quick');
}

await main();
