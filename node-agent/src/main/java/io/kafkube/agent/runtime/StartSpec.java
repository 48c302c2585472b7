package io.kafkube.agent.runtime;

import java.util.List;
import java.util.Map;

/**
 * What the agent asks a runtime to start: one container of a pod, with everything resolved
 * (environment values, variable references expanded).
 *
 * @param attempt    the run number (kubelet's restartCount of the new instance)
 * @param command    the container's {@code command}, empty when the image's entrypoint applies
 * @param args       the container's {@code args}, empty when the image's default command applies
 * @param env        the environment in Kubernetes' order (later entries win)
 * @param workingDir the container's {@code workingDir}, or null
 * @param mounts     the container's volume mounts, resolved to host paths
 * @param limits     the container's {@code resources.limits} (a cgroup where the runtime has them)
 */
public record StartSpec(String container, int attempt, String image, List<String> command, List<String> args,
    Map<String, String> env, String workingDir, List<io.kafkube.agent.volume.VolumeMount> mounts,
    io.kafkube.agent.cgroup.Limits limits) {
  /** A container without volume mounts or limits. */
  public StartSpec(String container, int attempt, String image, List<String> command, List<String> args,
      Map<String, String> env, String workingDir) {
    this(container, attempt, image, command, args, env, workingDir, List.of(), io.kafkube.agent.cgroup.Limits.NONE);
  }

  public StartSpec {
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
    limits = limits == null ? io.kafkube.agent.cgroup.Limits.NONE : limits;
    command = command == null ? List.of() : List.copyOf(command);
    args = args == null ? List.of() : List.copyOf(args);
    env = env == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
  }
}
