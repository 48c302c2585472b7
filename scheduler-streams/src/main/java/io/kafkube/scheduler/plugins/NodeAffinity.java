package io.kafkube.scheduler.plugins;

import io.kafkube.scheduler.framework.CycleState;
import io.kafkube.scheduler.framework.FilterPlugin;
import io.kafkube.scheduler.framework.NodeInfo;
import io.kafkube.scheduler.framework.NodeSelectorTerm;
import io.kafkube.scheduler.framework.PodInfo;
import io.kafkube.scheduler.framework.ScorePlugin;
import io.kafkube.scheduler.framework.Status;
import java.util.Map;

/**
 * {@code nodeSelector} and required node affinity (both must hold; affinity terms are ORed) as a
 * filter; preferred node affinity as a score (sum of the weights of the matching terms, normalized).
 */
public final class NodeAffinity implements FilterPlugin, ScorePlugin {
  public static final String REASON = "node(s) didn't match Pod's node affinity/selector";

  @Override
  public String name() {
    return "NodeAffinity";
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    return matches(pod, node) ? Status.SUCCESS : Status.unresolvable(REASON);
  }

  /** Whether the node satisfies the pod's nodeSelector and required node affinity. */
  public static boolean matches(PodInfo pod, NodeInfo node) {
    for (Map.Entry<String, String> e : pod.nodeSelector().entrySet()) {
      if (!e.getValue().equals(node.labels().get(e.getKey()))) {
        return false;
      }
    }
    if (pod.requiredAffinity().isEmpty()) {
      return true;
    }
    for (NodeSelectorTerm term : pod.requiredAffinity()) {
      if (term.matches(node)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    long sum = 0;
    for (PodInfo.WeightedTerm t : pod.preferredAffinity()) {
      if (t.term().matches(node)) {
        sum += t.weight();
      }
    }
    return sum;
  }

  @Override
  public void normalize(CycleState state, PodInfo pod, long[] scores) {
    long max = 0;
    for (long s : scores) {
      max = Math.max(max, s);
    }
    if (max == 0) {
      return;
    }
    for (int i = 0; i < scores.length; i++) {
      scores[i] = scores[i] * MAX_SCORE / max;
    }
  }
}
