package io.kafkube.scheduler.framework;

/** A hard constraint: may the pod run on the node? (kube-scheduler's Filter extension point). */
public interface FilterPlugin {
  String name();

  Status filter(CycleState state, PodInfo pod, NodeInfo node);
}
