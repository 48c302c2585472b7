package io.kafkube.agent.volume;

import java.util.Objects;

/**
 * One of a container's {@code volumeMounts}, resolved: the host file or directory (the volume's
 * directory, or the {@code subPath} inside it) that appears at {@code mountPath} in the container.
 */
public record VolumeMount(String volume, String source, String mountPath, boolean readOnly) {
  public VolumeMount {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(mountPath, "mountPath");
  }
}
