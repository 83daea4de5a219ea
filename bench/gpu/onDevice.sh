#!/usr/bin/env bash
# One lease on a lent GPU machine (the device tool), in one call: the GPU bench bundle, then PyTorch CUDA on the
# same GPU as the peer. Run from the repository root there, with the bundle carried in .gpubench/ and, where the
# machine may lack them, the Vulkan loader and libglvnd as .deb files in .gl/ (docs/gpu-bench.md, "On a lent
# machine"). Everything lands in $OUT: log.txt, the bench's gpu-latest.{json,md}, torch-cuda.json.
#   BENCH_SECONDS  the bench's time limit (default 400); the rows finished by then are kept (written per row)
#   BENCH_ARGS     more options for the full bench, e.g. --profile
#   PEER=0         skip the PyTorch peer
set -u
OUT="${OUT:-/tmp/gpu-out}"
mkdir -p "$OUT"
exec > >(tee "$OUT/log.txt") 2>&1

echo "== machine"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm,power.limit --format=csv || true
echo "ldconfig: $(ldconfig -p | grep -c -E 'libvulkan|libGLdispatch|libGLX_nvidia') vulkan/glvnd/nvidia libraries"
ls /usr/local/nvidia/share/vulkan/icd.d /usr/share/vulkan/icd.d /etc/vulkan/icd.d 2>&1 | head -20

# The Vulkan loader and libglvnd's GL/EGL/GLX dispatchers, which NVIDIA's Vulkan driver (libGLX_nvidia) needs to
# start (without them it loads but hands out no vkCreateInstance), where the image lacks them.
for f in .gl/*.deb; do [ -f "$f" ] && dpkg -x "$f" /; done
ldconfig
export LD_LIBRARY_PATH="/usr/local/nvidia/lib64:/usr/local/nvidia/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
# Name NVIDIA's manifest outright, so Vulkan cannot pick a software driver (llvmpipe) that the image may list.
[ -f "$icd" ] && export VK_ICD_FILENAMES="$icd" VK_DRIVER_FILES="$icd"
egl=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
[ -f "$egl" ] && export __EGL_VENDOR_LIBRARY_FILENAMES="$egl"

cat "$icd" 2>/dev/null | tr -d '\n'; echo
glx=$(ls /usr/local/nvidia/lib64/libGLX_nvidia.so.0 2>/dev/null || ldconfig -p | grep -o '/[^ ]*libGLX_nvidia.so.0' | head -1)
[ -n "$glx" ] && { echo "$glx:"; ldd "$glx" | grep -i 'not found' || echo "  every library found"; }

BENCH=/tmp/gpubench
rm -rf "$BENCH" && mkdir -p "$BENCH"
tar -xJf .gpubench/unet-studio-gpu-bench.tar.xz -C "$BENCH" || { echo "no bundle in .gpubench/"; exit 2; }
run="$BENCH/unet-studio-gpu-bench/run.sh"

echo "== adapter check (one 64 px forward pass)"
timeout 90 "$run" --quick --only fast-64-forward --out /tmp/gpu-check | tee /tmp/gpu-check.log
if ! grep -qi 'GPU adapter: nvidia' /tmp/gpu-check.log; then
  echo "== the adapter is not NVIDIA's: trying again with the system's own Vulkan manifests"
  unset VK_ICD_FILENAMES VK_DRIVER_FILES
  timeout 90 "$run" --quick --only fast-64-forward --out /tmp/gpu-check | tee /tmp/gpu-check.log
fi

echo "== GPU bench (full)"
timeout "${BENCH_SECONDS:-400}" "$run" --out /tmp/gpu-full ${BENCH_ARGS:-}
for f in /tmp/gpu-full/gpu-latest.json /tmp/gpu-full/gpu-latest.md; do [ -f "$f" ] && cp "$f" "$OUT/"; done

[ "${PEER:-1}" = 0 ] && exit 0
echo "== PyTorch CUDA peer"
timeout 120 python3 bench/peers/unet_torch_gpu.py "$OUT/torch-cuda.json"
nvidia-smi --query-gpu=clocks.sm,temperature.gpu,power.draw --format=csv || true
