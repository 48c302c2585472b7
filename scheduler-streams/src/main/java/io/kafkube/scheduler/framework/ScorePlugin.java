package io.kafkube.scheduler.framework;

/** A preference among feasible nodes (kube-scheduler's Score extension point). */
public interface ScorePlugin {
  int MAX_SCORE = 100;

  String name();

  /** The raw score of a feasible node. */
  long score(CycleState state, PodInfo pod, NodeInfo node);

  /**
   * Brings the raw scores of all feasible nodes into 0..{@link #MAX_SCORE}, in place; the default
   * leaves scores that are already in range alone (kube's ScoreExtensions.NormalizeScore).
   */
  default void normalize(CycleState state, PodInfo pod, long[] scores) {}
}
