package io.kafkube.scheduler.framework;

import java.util.List;

/**
 * Work a score does once per cycle before nodes are scored (kube-scheduler's PreScore). {@link Status#SKIP}
 * when the plugin would give every node the same score (nothing to weigh for this pod): its Score and
 * NormalizeScore do not run, and it adds nothing to any node's total.
 */
public interface PreScorePlugin {
  Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasible, List<NodeInfo> allNodes);
}
