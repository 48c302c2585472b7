package io.kafkube.scheduler.framework;

import java.util.List;

/**
 * Work a filter does once per cycle over the whole cluster before nodes are filtered one by one
 * (kube-scheduler's PreFilter), e.g. counting matching pods per topology domain. A non-success status
 * rules out every node with its reasons.
 */
public interface PreFilterPlugin {
  Status preFilter(CycleState state, PodInfo pod, List<NodeInfo> allNodes);
}
