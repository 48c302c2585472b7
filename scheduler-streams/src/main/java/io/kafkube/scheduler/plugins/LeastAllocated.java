package io.kafkube.scheduler.plugins;

import io.kafkube.scheduler.framework.CycleState;
import io.kafkube.scheduler.framework.NodeInfo;
import io.kafkube.scheduler.framework.PodInfo;
import io.kafkube.scheduler.framework.Resources;
import io.kafkube.scheduler.framework.ScorePlugin;

/**
 * NodeResourcesFit's default scoring: the node with the most cpu and memory left after placing the
 * pod scores highest (each resource weight 1). A pod without a cpu or memory request counts as
 * 100m / 200Mi, kube-scheduler's non-zero defaults, so that empty pods spread too.
 */
public final class LeastAllocated implements ScorePlugin {
  static final long DEFAULT_MILLI_CPU = 100;
  static final long DEFAULT_MEMORY_MILLI = 200L * 1024 * 1024 * 1000;

  @Override
  public String name() {
    return "NodeResourcesLeastAllocated";
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    return (resourceScore(node, Resources.CPU, nonZero(pod, Resources.CPU))
        + resourceScore(node, Resources.MEMORY, nonZero(pod, Resources.MEMORY))) / 2;
  }

  static long nonZero(PodInfo pod, String resource) {
    long v = pod.requests().milli(resource);
    if (v > 0) {
      return v;
    }
    return resource.equals(Resources.CPU) ? DEFAULT_MILLI_CPU : DEFAULT_MEMORY_MILLI;
  }

  private static long resourceScore(NodeInfo node, String resource, long podRequest) {
    long alloc = node.allocatable().milli(resource);
    long requested = node.requested().milli(resource) + podRequest;
    if (alloc <= 0 || requested > alloc) {
      return 0;
    }
    return (long) ((alloc - requested) * (double) MAX_SCORE / alloc);
  }
}
