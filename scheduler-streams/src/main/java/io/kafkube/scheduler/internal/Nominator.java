package io.kafkube.scheduler.internal;

import io.kafkube.scheduler.framework.PodInfo;
import io.kafkube.scheduler.framework.SchedulingAlgorithm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * kube-scheduler's nominator: the pods waiting for room on a node they preempted for
 * ({@code status.nominatedNodeName}), by node, so that each cycle reserves their room there.
 */
final class Nominator implements SchedulingAlgorithm.Nominations {
  private final Map<String, Map<String, PodInfo>> byNode = new HashMap<>();
  private final Map<String, String> nodeOf = new HashMap<>();

  /** Nominates the pod to the node, replacing an earlier nomination; a null or empty node only removes. */
  void nominate(PodInfo pod, String node) {
    remove(pod.key());
    if (node == null || node.isEmpty()) {
      return;
    }
    byNode.computeIfAbsent(node, n -> new LinkedHashMap<>()).put(pod.key(), pod);
    nodeOf.put(pod.key(), node);
  }

  void remove(String podKey) {
    String node = nodeOf.remove(podKey);
    if (node != null) {
      Map<String, PodInfo> pods = byNode.get(node);
      pods.remove(podKey);
      if (pods.isEmpty()) {
        byNode.remove(node);
      }
    }
  }

  void clear() {
    byNode.clear();
    nodeOf.clear();
  }

  @Override
  public List<PodInfo> on(String node) {
    if (byNode.isEmpty()) {
      return List.of();
    }
    Map<String, PodInfo> pods = byNode.get(node);
    return pods == null ? List.of() : new ArrayList<>(pods.values());
  }

  int size() {
    return nodeOf.size();
  }
}
