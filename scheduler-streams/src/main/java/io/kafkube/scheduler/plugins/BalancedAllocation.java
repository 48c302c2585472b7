package io.kafkube.scheduler.plugins;

import io.kafkube.scheduler.framework.CycleState;
import io.kafkube.scheduler.framework.NodeInfo;
import io.kafkube.scheduler.framework.PodInfo;
import io.kafkube.scheduler.framework.ScorePlugin;

/**
 * NodeResourcesBalancedAllocation: prefers the node whose cpu and memory fractions would be closest
 * to each other after placing the pod; score = (1 - standard deviation of the fractions) x 100.
 */
public final class BalancedAllocation implements ScorePlugin {
  @Override
  public String name() {
    return "NodeResourcesBalancedAllocation";
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    double cpu = fraction(node.allocatableCpu(), node.requestedCpu() + LeastAllocated.nonZeroCpu(pod));
    double mem = fraction(node.allocatableMemory(), node.requestedMemory() + LeastAllocated.nonZeroMemory(pod));
    double std = Math.abs(cpu - mem) / 2;
    return (long) ((1 - std) * MAX_SCORE);
  }

  private static double fraction(long alloc, long requested) {
    if (alloc <= 0) {
      return 1;
    }
    return Math.min(1.0, requested / (double) alloc);
  }
}
