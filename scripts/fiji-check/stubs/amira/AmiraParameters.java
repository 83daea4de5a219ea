package amira;
import ij.ImagePlus;
/** Stub: the images here are never Amira label fields. */
public class AmiraParameters {
  public static boolean isAmiraLabelfield(ImagePlus imp) { return false; }
  public AmiraParameters(ImagePlus imp) { throw new UnsupportedOperationException(); }
  public String[] getMaterialList() { return null; }
  public void setParameters(ImagePlus imp, boolean b) {}
}
