package io.kafkube.agent.runtime;

import java.util.Map;
import java.util.Objects;

/** The pod a runtime works for: identity and the annotations a runtime may read (the simulated one does). */
public record PodRef(String uid, String namespace, String name, Map<String, String> annotations) {
  public PodRef {
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  /** {@code name_namespace(uid)}, as kubelet prints a pod in messages. */
  public String display() {
    return name + "_" + namespace + "(" + uid + ")";
  }
}
