import ij.IJ;
import ij.ImagePlus;
import trainableSegmentation.metrics.RandError;
import trainableSegmentation.metrics.VariationOfInformation;
import trainableSegmentation.metrics.ClassificationStatistics;
import java.util.ArrayList;
/** java Check labels.tif proposal.tif: Fiji's own sweeps, printed as JSON lines. */
public class Check {
  public static void main(String[] args) {
    ImagePlus labels = IJ.openImage(args[0]);
    ImagePlus proposal = IJ.openImage(args[1]);
    RandError rand = new RandError(labels, proposal);
    rand.setVerboseMode(false);
    ArrayList<ClassificationStatistics> vr = rand.getForegroundRestrictedRandAfterThinningStats(0.0, 1.0, 0.1, true);
    StringBuilder sb = new StringBuilder("{\"vRandPerThreshold\": [");
    for (int i = 0; i < vr.size(); i++) sb.append(i > 0 ? ", " : "").append(Double.toString(vr.get(i).fScore));
    sb.append("], \"vRand\": ").append(rand.getMaximalVRandAfterThinning(0.0, 1.0, 0.1, true));
    ArrayList<ClassificationStatistics> fr = rand.getForegroundRestrictedRandIndexStats(0.0, 1.0, 0.1);
    sb.append(", \"frRandFScorePerThreshold\": [");
    for (int i = 0; i < fr.size(); i++) sb.append(i > 0 ? ", " : "").append(Double.toString(fr.get(i).fScore));
    sb.append("], \"frRandMaxFScore\": ").append(rand.getForegroundRestrictedRandIndexMaximalFScore(0.0, 1.0, 0.1));
    VariationOfInformation vi = new VariationOfInformation(labels, proposal);
    vi.setVerboseMode(false);
    ArrayList<Double> vis = vi.getForegroundRestrictedScoresAfterThinning(0.0, 1.0, 0.1);
    sb.append(", \"vInfoPerThreshold\": [");
    for (int i = 0; i < vis.size(); i++) sb.append(i > 0 ? ", " : "").append(Double.toString(vis.get(i)));
    sb.append("], \"vInfo\": ").append(vi.getMaximalVInfoAfterThinning(0.0, 1.0, 0.1)).append("}");
    System.out.println(sb);
    System.exit(0);
  }
}
