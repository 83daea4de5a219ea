package trainableSegmentation.utils;
import ij.ImagePlus;
import util.FindConnectedRegions;
import util.FindConnectedRegions.Results;
/** Only Utils.connectedComponents(im, adjacency): the same FindConnectedRegions.run call as Fiji's (Utils.java 85-110). */
public final class Utils {
  public static Results connectedComponents(final ImagePlus im, final int adjacency) {
    if (adjacency != 4 && adjacency != 8) return null;
    final boolean diagonal = adjacency == 8;
    FindConnectedRegions fcr = new FindConnectedRegions();
    return fcr.run(im, diagonal, false, true, false, false, false, false, 0, 1, -1, true);
  }
}
