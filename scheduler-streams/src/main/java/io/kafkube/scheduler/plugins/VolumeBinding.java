package io.kafkube.scheduler.plugins;

import io.kafkube.scheduler.framework.CycleState;
import io.kafkube.scheduler.framework.FilterPlugin;
import io.kafkube.scheduler.framework.NodeInfo;
import io.kafkube.scheduler.framework.PodInfo;
import io.kafkube.scheduler.framework.Status;
import io.kafkube.scheduler.framework.Volumes;

/** Data locality: the pod's PersistentVolumeClaims must be satisfiable on the node ({@link Volumes}). */
public final class VolumeBinding implements FilterPlugin {
  private final Volumes volumes;

  public VolumeBinding(Volumes volumes) {
    this.volumes = volumes;
  }

  @Override
  public String name() {
    return "VolumeBinding";
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    return volumes.check(pod, node);
  }
}
