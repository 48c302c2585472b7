package io.kafkube.scheduler.framework;

import java.util.List;

/** Work a score does once per cycle before nodes are scored (kube-scheduler's PreScore). */
public interface PreScorePlugin {
  void preScore(CycleState state, PodInfo pod, List<NodeInfo> feasible, List<NodeInfo> allNodes);
}
