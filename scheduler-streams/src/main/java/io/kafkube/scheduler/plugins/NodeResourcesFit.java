package io.kafkube.scheduler.plugins;

import io.kafkube.scheduler.framework.CycleState;
import io.kafkube.scheduler.framework.FilterPlugin;
import io.kafkube.scheduler.framework.NodeInfo;
import io.kafkube.scheduler.framework.PodInfo;
import io.kafkube.scheduler.framework.Resources;
import io.kafkube.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * Does the pod fit in what the node has left: pod count, then every resource the pod requests
 * (cpu, memory, ephemeral-storage and extended resources such as {@code nvidia.com/gpu}), against
 * allocatable minus what bound and assumed pods already claim.
 */
public final class NodeResourcesFit implements FilterPlugin {
  public static final String TOO_MANY_PODS = "Too many pods";

  @Override
  public String name() {
    return "NodeResourcesFit";
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    return fits(pod, node) ? Status.SUCCESS : Status.unschedulable(reasons(pod, node).toArray(String[]::new));
  }

  /** The check of {@link #reasons} without building them: the common case of a scan over many nodes. */
  private static boolean fits(PodInfo pod, NodeInfo node) {
    if (node.podCount() + 1 > node.allocatablePods() / 1000) {
      return false;
    }
    Resources req = pod.requests();
    if (req.cpu() > 0 && req.cpu() > node.allocatableCpu() - node.requestedCpu()) {
      return false;
    }
    if (req.memory() > 0 && req.memory() > node.allocatableMemory() - node.requestedMemory()) {
      return false;
    }
    if (req.otherCount() == 0) {
      return true;
    }
    Resources alloc = node.allocatable();
    Resources used = node.requested();
    for (int i = 0; i < req.otherCount(); i++) {
      long want = req.otherMilli(i);
      String r = req.otherName(i);
      if (want > 0 && want > alloc.milli(r) - used.milli(r)) {
        return false;
      }
    }
    return true;
  }

  private static List<String> reasons(PodInfo pod, NodeInfo node) {
    List<String> reasons = new ArrayList<>();
    long allowedPods = node.allocatable().milli(Resources.PODS) / 1000;
    if (node.podCount() + 1 > allowedPods) {
      reasons.add(TOO_MANY_PODS);
    }
    Resources req = pod.requests();
    for (String r : req.names()) {
      if (r.equals(Resources.PODS)) {
        continue;
      }
      long want = req.milli(r);
      if (want > 0 && want > node.allocatable().milli(r) - node.requested().milli(r)) {
        reasons.add("Insufficient " + r);
      }
    }
    return reasons;
  }
}
