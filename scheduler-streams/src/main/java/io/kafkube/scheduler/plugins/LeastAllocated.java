package io.kafkube.scheduler.plugins;

import io.kafkube.scheduler.framework.CycleState;
import io.kafkube.scheduler.framework.NodeInfo;
import io.kafkube.scheduler.framework.PodInfo;
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
    return (resourceScore(node.allocatableCpu(), node.requestedCpu() + nonZeroCpu(pod))
        + resourceScore(node.allocatableMemory(), node.requestedMemory() + nonZeroMemory(pod))) / 2;
  }

  /** The pod's cpu request, or kube's non-zero default when it asks for none. */
  static long nonZeroCpu(PodInfo pod) {
    long v = pod.requests().cpu();
    return v > 0 ? v : DEFAULT_MILLI_CPU;
  }

  /** The pod's memory request, or kube's non-zero default when it asks for none. */
  static long nonZeroMemory(PodInfo pod) {
    long v = pod.requests().memory();
    return v > 0 ? v : DEFAULT_MEMORY_MILLI;
  }

  private static long resourceScore(long alloc, long requested) {
    if (alloc <= 0 || requested > alloc) {
      return 0;
    }
    return (long) ((alloc - requested) * (double) MAX_SCORE / alloc);
  }
}
