package io.kafkube.scheduler.plugins;

import io.kafkube.scheduler.framework.CycleState;
import io.kafkube.scheduler.framework.FilterPlugin;
import io.kafkube.scheduler.framework.NodeInfo;
import io.kafkube.scheduler.framework.PodInfo;
import io.kafkube.scheduler.framework.Status;

/**
 * A node whose {@code Ready} condition is not {@code True} takes no new pods. (Kubernetes does this
 * through the {@code node.kubernetes.io/not-ready} taint set by the node lifecycle controller; kafkube
 * checks the condition directly until that controller exists.)
 */
public final class NodeReady implements FilterPlugin {
  public static final String REASON = "node(s) were not ready";

  @Override
  public String name() {
    return "NodeReady";
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    return node.ready() ? Status.SUCCESS : Status.unschedulable(REASON);
  }
}
