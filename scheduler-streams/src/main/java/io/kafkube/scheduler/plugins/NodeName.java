package io.kafkube.scheduler.plugins;

import io.kafkube.scheduler.framework.CycleState;
import io.kafkube.scheduler.framework.FilterPlugin;
import io.kafkube.scheduler.framework.NodeInfo;
import io.kafkube.scheduler.framework.PodInfo;
import io.kafkube.scheduler.framework.Status;

/**
 * A pod that names its node fits only there. (An unbound pod has no {@code spec.nodeName}, so this
 * holds for pods whose name is set through a binding-free path, as in kube-scheduler.)
 */
public final class NodeName implements FilterPlugin {
  public static final String REASON = "node(s) didn't match the requested node name";

  @Override
  public String name() {
    return "NodeName";
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    String wanted = pod.nodeName();
    if (wanted == null || wanted.isEmpty() || wanted.equals(node.name())) {
      return Status.SUCCESS;
    }
    return Status.unresolvable(REASON);
  }
}
