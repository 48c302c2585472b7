package io.kafkube.agent.volume;

/**
 * A volume that cannot be set up (kubelet's {@code FailedMount}), e.g. a ConfigMap that does not
 * exist; the message is kubelet's: {@code MountVolume.SetUp failed for volume "x" : configmap "y" not found}.
 */
public final class VolumeException extends Exception {
  private final String volume;
  private final String detail;

  public VolumeException(String volume, String detail) {
    super("MountVolume.SetUp failed for volume \"" + volume + "\" : " + detail);
    this.volume = volume;
    this.detail = detail;
  }

  /** What failed, without the volume's name. */
  public String detail() {
    return detail;
  }

  public String volume() {
    return volume;
  }
}
