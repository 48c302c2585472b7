package io.kafkube.scheduler.plugins;

import io.kafkube.scheduler.framework.Profile;
import io.kafkube.scheduler.framework.Profile.WeightedScore;
import io.kafkube.scheduler.framework.Namespaces;
import io.kafkube.scheduler.framework.Volumes;
import io.kafkube.scheduler.framework.Workloads;
import java.util.List;

/**
 * kube-scheduler's default plugins and score weights, as far as kafkube implements them: filters in
 * kube's order (cheap node checks first, then resources, then the cluster-wide ones), scores with
 * TaintToleration 3, NodeAffinity 2, PodTopologySpread 2, InterPodAffinity 2, the resource scores 1.
 */
public final class DefaultProfile {
  private DefaultProfile() {}

  public static Profile create() {
    return create(new Volumes());
  }

  /** The default profile, with data locality decided on this view of claims and volumes. */
  public static Profile create(Volumes volumes) {
    return create(volumes, Namespaces.NONE, Workloads.NONE);
  }

  /**
   * The default profile on the scheduler's views: claims, volumes and classes (VolumeBinding),
   * Namespace labels (InterPodAffinity's namespace selectors), Services and controllers
   * (PodTopologySpread's system defaults).
   */
  public static Profile create(Volumes volumes, Namespaces namespaces, Workloads workloads) {
    TaintToleration taints = new TaintToleration();
    NodeAffinity affinity = new NodeAffinity();
    PodTopologySpread spread = new PodTopologySpread(workloads);
    InterPodAffinity podAffinity = new InterPodAffinity(namespaces);
    return new Profile(
        List.of(new NodeUnschedulable(), new NodeName(), new NodeReady(), taints, affinity, new NodeResourcesFit(),
            new VolumeBinding(volumes), spread, podAffinity),
        List.of(new WeightedScore(new LeastAllocated(), 1), new WeightedScore(new BalancedAllocation(), 1),
            new WeightedScore(affinity, 2), new WeightedScore(taints, 3), new WeightedScore(spread, 2),
            new WeightedScore(podAffinity, 2)));
  }
}
