package io.kafkube.scheduler.plugins;

import io.kafkube.scheduler.framework.CycleState;
import io.kafkube.scheduler.framework.FilterPlugin;
import io.kafkube.scheduler.framework.NodeInfo;
import io.kafkube.scheduler.framework.PodInfo;
import io.kafkube.scheduler.framework.PreFilterPlugin;
import io.kafkube.scheduler.framework.Status;
import io.kafkube.scheduler.framework.Volumes;
import java.util.List;

/**
 * Data locality, as kube-scheduler's VolumeBinding: PreFilter rules out every node while a claim of
 * the pod is missing or unbound without waiting for its first consumer ({@link Volumes#preCheck});
 * Filter: the pod's claims must be satisfiable on the node ({@link Volumes#check}).
 */
public final class VolumeBinding implements FilterPlugin, PreFilterPlugin {
  private final Volumes volumes;

  public VolumeBinding(Volumes volumes) {
    this.volumes = volumes;
  }

  @Override
  public String name() {
    return "VolumeBinding";
  }

  @Override
  public Status preFilter(CycleState state, PodInfo pod, List<NodeInfo> allNodes) {
    return volumes.preCheck(pod);
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    return volumes.check(pod, node);
  }
}
