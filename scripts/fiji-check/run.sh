#!/bin/sh
# Scores the committed ISBI fixtures with Fiji's own Java code and with our port
# (scripts/fiji_isbi_metrics.py), and prints the largest difference. No network: give it checkouts of
#   imagej/ImageJ (ImageJ 1), fiji/Trainable_Segmentation and fiji/VIB-lib (FindConnectedRegions).
# Usage: scripts/fiji-check/run.sh IMAGEJ_DIR TRAINABLE_SEGMENTATION_DIR VIB_LIB_DIR
# Compiled from source: ImageJ's ij package, Trainable_Segmentation's metrics (Metrics, RandError,
# VariationOfInformation, ClassificationStatistics, InformationStatistics) and utils (WatershedTransform2D,
# PixelRecord, Cursor2D, Neighborhood2D*), VIB-lib's util/FindConnectedRegions.java, unchanged; our stubs/
# replace only Utils (its connectedComponents: the same FindConnectedRegions.run call) and AmiraParameters.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=${FIJI_CHECK_WORK:-/tmp/fiji-check}
rm -rf "$work" && mkdir -p "$work/src/trainableSegmentation/metrics" "$work/src/trainableSegmentation/utils" "$work/src/util" "$work/classes"
cp -r "$1/ij" "$work/src/"
for f in Metrics RandError VariationOfInformation ClassificationStatistics InformationStatistics; do
  cp "$2/src/main/java/trainableSegmentation/metrics/$f.java" "$work/src/trainableSegmentation/metrics/"
done
for f in WatershedTransform2D PixelRecord Cursor2D Neighborhood2D Neighborhood2DC4 Neighborhood2DC8; do
  cp "$2/src/main/java/trainableSegmentation/utils/$f.java" "$work/src/trainableSegmentation/utils/"
done
cp "$3/src/main/java/util/FindConnectedRegions.java" "$work/src/util/"
cp -r "$here/stubs/." "$work/src/"
javac -nowarn -encoding UTF-8 -sourcepath "$work/src" -d "$work/classes" "$work/src/Check.java" 2>&1 | grep -v '^Note:' || true
/usr/bin/python3 "$here/compare.py" "$work"
