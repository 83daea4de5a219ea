"""Part of run.sh: Fiji's sweeps (Check.java) against the port on the committed fixtures' inputs."""
import json
import pathlib
import subprocess
import sys

import numpy as np
import tifffile

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from fiji_isbi_metrics import stack_scores  # noqa: E402

FIXTURES = HERE.parent.parent / "src" / "core" / "metrics" / "fixtures"
work = pathlib.Path(sys.argv[1])


def read_fixture(stem):
    manifest = json.loads((FIXTURES / f"{stem}.json").read_text())
    blob = (FIXTURES / f"{stem}.bin").read_bytes()
    arrays = {name: np.frombuffer(blob, dtype=np.dtype(a["dtype"]).newbyteorder("<"), count=int(np.prod(a["shape"])), offset=a["offset"]).reshape(a["shape"])
              for name, a in manifest["arrays"].items()}
    return manifest["meta"], arrays


def fiji(labels, probabilities, name):
    tifffile.imwrite(work / f"{name}-labels.tif", np.stack(labels).astype(np.uint8), photometric="minisblack")
    tifffile.imwrite(work / f"{name}-proposal.tif", np.stack(probabilities).astype(np.float32), photometric="minisblack")
    out = subprocess.run(["java", "-Djava.awt.headless=true", "-cp", str(work / "classes"), "Check",
                          str(work / f"{name}-labels.tif"), str(work / f"{name}-proposal.tif")], capture_output=True, text=True, check=True)
    return json.loads(next(line for line in out.stdout.splitlines() if line.startswith("{")))


def differences(java, port):
    pairs = [(java["vRand"], port["vRand"]), (java["vInfo"], port["vInfo"]), (1 - java["frRandMaxFScore"], port["foregroundRestrictedRandError"])]
    assert len(java["vRandPerThreshold"]) == len(port["perThreshold"]) == 11
    for k, row in enumerate(port["perThreshold"]):
        pairs += [(java["vRandPerThreshold"][k], row["vRand"]), (java["vInfoPerThreshold"][k], row["vInfo"]),
                  (java["frRandFScorePerThreshold"][k], row["foregroundRestrictedRandFScore"])]
    worst = 0.0
    for a, b in pairs:
        if np.isnan(a) or np.isnan(b):
            assert np.isnan(a) and np.isnan(b), (a, b)
        else:
            worst = max(worst, abs(a - b))
    return worst


meta, arrays = read_fixture("isbi-stack")
labels = list(arrays["labels"])
probabilities = list(arrays["probability"])
port = stack_scores(labels, probabilities)
worst = differences(fiji(labels, probabilities, "isbi-stack"), port)
print(f"isbi-stack ({len(labels)} slices): V_Rand Fiji-port difference at most {worst:.2e}; port V_Rand {port['vRand']:.6f}, V_Info {port['vInfo']:.6f}")
edge, _ = read_fixture("isbi-edge-cases")
for case in edge["cases"]:
    shape = (edge["height"], edge["width"])
    label = np.array(case["label"], np.uint8).reshape(shape)
    prob = np.array(case["probability"], np.float32).reshape(shape)
    with np.errstate(all="ignore"):
        port = stack_scores([label], [prob])
    d = differences(fiji([label], [prob], "edge"), port)
    worst = max(worst, d)
    print(f"edge case {case['name']!r}: difference at most {d:.2e}")
print(f"largest difference, Fiji vs port: {worst:.2e}")
sys.exit(0 if worst < 1e-12 else 1)
