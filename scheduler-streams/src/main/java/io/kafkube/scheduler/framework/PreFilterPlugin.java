package io.kafkube.scheduler.framework;

import java.util.List;

/**
 * Work a filter does once per cycle over the whole cluster before nodes are filtered one by one
 * (kube-scheduler's PreFilter), e.g. counting matching pods per topology domain. A non-success status
 * rules out every node with its reasons; {@link Status#SKIP} says the plugin's Filter would pass every
 * node for this pod, so it does not run in this cycle (what it computed stays in the state, for
 * {@link #addPod}).
 */
public interface PreFilterPlugin {
  Status preFilter(CycleState state, PodInfo pod, List<NodeInfo> allNodes);

  /**
   * Updates what {@link #preFilter} computed as if {@code added} were on {@code node} too (kube's
   * PreFilterExtensions.AddPod): how a pod nominated to the node counts in the cluster-wide counts.
   * {@code state} is a copy made for that node's what-if; the default changes nothing.
   */
  default void addPod(CycleState state, PodInfo pod, PodInfo added, NodeInfo node) {}
}
