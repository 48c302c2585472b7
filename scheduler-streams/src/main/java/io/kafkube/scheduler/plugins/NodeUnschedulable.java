package io.kafkube.scheduler.plugins;

import io.kafkube.scheduler.framework.CycleState;
import io.kafkube.scheduler.framework.FilterPlugin;
import io.kafkube.scheduler.framework.NodeInfo;
import io.kafkube.scheduler.framework.PodInfo;
import io.kafkube.scheduler.framework.Status;
import io.kafkube.scheduler.framework.Taint;
import io.kafkube.scheduler.framework.Toleration;

/** A cordoned node ({@code spec.unschedulable}) takes only pods that tolerate its unschedulable taint. */
public final class NodeUnschedulable implements FilterPlugin {
  public static final String REASON = "node(s) were unschedulable";
  static final Taint UNSCHEDULABLE_TAINT = new Taint("node.kubernetes.io/unschedulable", null, Taint.NO_SCHEDULE);

  @Override
  public String name() {
    return "NodeUnschedulable";
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    if (!node.unschedulable()) {
      return Status.SUCCESS;
    }
    for (Toleration t : pod.tolerations()) {
      if (t.tolerates(UNSCHEDULABLE_TAINT)) {
        return Status.SUCCESS;
      }
    }
    return Status.unresolvable(REASON);
  }
}
