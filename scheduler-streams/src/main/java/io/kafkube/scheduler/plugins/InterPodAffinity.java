package io.kafkube.scheduler.plugins;

import io.kafkube.scheduler.framework.CycleState;
import io.kafkube.scheduler.framework.FilterPlugin;
import io.kafkube.scheduler.framework.Namespaces;
import io.kafkube.scheduler.framework.NodeInfo;
import io.kafkube.scheduler.framework.PodAffinityTerm;
import io.kafkube.scheduler.framework.PodInfo;
import io.kafkube.scheduler.framework.PreFilterPlugin;
import io.kafkube.scheduler.framework.PreScorePlugin;
import io.kafkube.scheduler.framework.ScorePlugin;
import io.kafkube.scheduler.framework.Status;
import io.kafkube.scheduler.framework.TopologyPair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Inter-pod affinity and anti-affinity, as kube-scheduler's InterPodAffinity plugin.
 *
 * <p>Filter: (1) every required affinity term of the pod needs, in the node's domain of the term's
 * {@code topologyKey}, a pod matching all the terms (unless no pod anywhere matches them and the pod
 * matches its own terms: the first of a group); (2) no required anti-affinity term of the pod may have
 * a matching pod in the node's domain; (3) no pod already placed may have a required anti-affinity
 * term that matches this pod in a domain the node belongs to (symmetry). A node without the label of
 * a required affinity term's topologyKey fails.
 *
 * <p>Score: per topology domain, the weights of the pod's preferred affinity terms matched by pods
 * there, minus those of its preferred anti-affinity terms, plus (symmetry) the weights of placed
 * pods' preferred terms that match this pod and 1 per matching required affinity term of theirs;
 * normalized to 0..100 between the lowest and highest node.
 *
 * <p>A term looks in the namespaces it lists and in those whose labels its {@code namespaceSelector}
 * matches ({@link Namespaces}, the scheduler's view of Namespace objects); {@code {}} means all.
 * A pod nominated to a node (a preemptor waiting there) counts on that node as if it were placed, when
 * its priority is at least the incoming pod's ({@link #addPod}, kube's PreFilterExtensions.AddPod).
 */
public final class InterPodAffinity implements FilterPlugin, PreFilterPlugin, ScorePlugin, PreScorePlugin {
  public static final String AFFINITY_NOT_MATCH = "node(s) didn't match pod affinity rules";
  public static final String ANTI_AFFINITY_NOT_MATCH = "node(s) didn't match pod anti-affinity rules";
  public static final String EXISTING_ANTI_AFFINITY_NOT_MATCH =
      "node(s) didn't satisfy existing pods anti-affinity rules";
  /** kube-scheduler's hardPodAffinityWeight default. */
  static final int HARD_POD_AFFINITY_WEIGHT = 1;

  private static final CycleState.Key<FilterState> FILTER = new CycleState.Key<>("InterPodAffinity/filter");
  /** Score per topology key, then per value of it. */
  private static final CycleState.Key<Map<String, Map<String, Long>>> SCORE =
      new CycleState.Key<>("InterPodAffinity/score");

  /** Counts per topology domain, computed once per cycle. */
  static final class FilterState implements CycleState.Data {
    final Map<TopologyPair, Integer> existingAntiAffinity = new HashMap<>();
    final Map<TopologyPair, Integer> affinity = new HashMap<>();
    final Map<TopologyPair, Integer> antiAffinity = new HashMap<>();

    @Override
    public FilterState copy() {
      FilterState c = new FilterState();
      c.existingAntiAffinity.putAll(existingAntiAffinity);
      c.affinity.putAll(affinity);
      c.antiAffinity.putAll(antiAffinity);
      return c;
    }
  }

  private final Namespaces namespaces;

  /** With no Namespace objects known (non-empty namespace selectors select nothing). */
  public InterPodAffinity() {
    this(Namespaces.NONE);
  }

  /** @param namespaces the Namespace labels that namespace selectors are matched against */
  public InterPodAffinity(Namespaces namespaces) {
    this.namespaces = namespaces;
  }

  @Override
  public String name() {
    return "InterPodAffinity";
  }

  @Override
  public Status preFilter(CycleState state, PodInfo pod, List<NodeInfo> allNodes) {
    FilterState s = state.computeIfAbsent(FILTER, () -> compute(pod, allNodes));
    // no required term of its own and no pod's anti-affinity against it: every node passes
    return pod.podAffinity().required().isEmpty() && pod.podAffinity().requiredAnti().isEmpty()
        && s.existingAntiAffinity.isEmpty() ? Status.SKIP : Status.SUCCESS;
  }

  private FilterState compute(PodInfo pod, List<NodeInfo> allNodes) {
    FilterState s = new FilterState();
    boolean incoming = !pod.podAffinity().required().isEmpty() || !pod.podAffinity().requiredAnti().isEmpty();
    for (NodeInfo node : allNodes) {
      if (!incoming && !node.hasPodsWithRequiredAntiAffinity()) {
        continue;
      }
      for (PodInfo existing : node.pods()) {
        count(s, pod, existing, node, incoming);
      }
    }
    return s;
  }

  /** Counts one pod on a node: its anti-affinity to the incoming pod, and the incoming pod's terms about it. */
  private void count(FilterState s, PodInfo pod, PodInfo existing, NodeInfo node, boolean incoming) {
    for (PodAffinityTerm t : existing.podAffinity().requiredAnti()) {
      if (t.matches(pod, namespaces)) {
        increment(s.existingAntiAffinity, node, t.topologyKey());
      }
    }
    if (!incoming || existing.key().equals(pod.key())) {
      return;
    }
    List<PodAffinityTerm> affinity = pod.podAffinity().required();
    if (!affinity.isEmpty() && matchesAll(affinity, existing)) {
      for (PodAffinityTerm t : affinity) {
        increment(s.affinity, node, t.topologyKey());
      }
    }
    for (PodAffinityTerm t : pod.podAffinity().requiredAnti()) {
      if (t.matches(existing, namespaces)) {
        increment(s.antiAffinity, node, t.topologyKey());
      }
    }
  }

  /** The counts of this cycle as if {@code added} (a nominated pod) were on the node. */
  @Override
  public void addPod(CycleState state, PodInfo pod, PodInfo added, NodeInfo node) {
    FilterState s = state.get(FILTER);
    if (s != null) {
      count(s, pod, added, node, !pod.podAffinity().required().isEmpty() || !pod.podAffinity().requiredAnti().isEmpty());
    }
  }

  private boolean matchesAll(List<PodAffinityTerm> terms, PodInfo pod) {
    for (PodAffinityTerm t : terms) {
      if (!t.matches(pod, namespaces)) {
        return false;
      }
    }
    return true;
  }

  private static void increment(Map<TopologyPair, Integer> counts, NodeInfo node, String key) {
    String value = node.labels().get(key);
    if (value != null) {
      counts.merge(new TopologyPair(key, value), 1, Integer::sum);
    }
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    FilterState s = state.get(FILTER);
    if (s == null) {
      throw new IllegalStateException("InterPodAffinity: filter without preFilter");
    }
    if (!satisfiesAffinity(s, pod, node)) {
      return Status.unresolvable(AFFINITY_NOT_MATCH);
    }
    if (!s.antiAffinity.isEmpty()) {
      for (PodAffinityTerm t : pod.podAffinity().requiredAnti()) {
        String v = node.labels().get(t.topologyKey());
        if (v != null && s.antiAffinity.getOrDefault(new TopologyPair(t.topologyKey(), v), 0) > 0) {
          return Status.unschedulable(ANTI_AFFINITY_NOT_MATCH);
        }
      }
    }
    if (!s.existingAntiAffinity.isEmpty()) {
      for (Map.Entry<String, String> l : node.labels().entrySet()) {
        if (s.existingAntiAffinity.getOrDefault(new TopologyPair(l.getKey(), l.getValue()), 0) > 0) {
          return Status.unschedulable(EXISTING_ANTI_AFFINITY_NOT_MATCH);
        }
      }
    }
    return Status.SUCCESS;
  }

  private boolean satisfiesAffinity(FilterState s, PodInfo pod, NodeInfo node) {
    boolean podsExist = true;
    for (PodAffinityTerm t : pod.podAffinity().required()) {
      String v = node.labels().get(t.topologyKey());
      if (v == null) {
        return false; // all topology labels must exist on the node
      }
      if (s.affinity.getOrDefault(new TopologyPair(t.topologyKey(), v), 0) <= 0) {
        podsExist = false;
      }
    }
    // The first pod of a group with affinity to itself may go anywhere its terms' labels exist.
    return podsExist || (s.affinity.isEmpty() && !pod.podAffinity().required().isEmpty()
        && matchesAll(pod.podAffinity().required(), pod));
  }

  @Override
  public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasible, List<NodeInfo> allNodes) {
    boolean hasPreferred = !pod.podAffinity().preferred().isEmpty() || !pod.podAffinity().preferredAnti().isEmpty();
    Map<String, Map<String, Long>> scores = new HashMap<>();
    for (NodeInfo node : allNodes) {
      if ((!hasPreferred && !node.hasPodsWithAffinity()) || node.labels().isEmpty()) {
        continue;
      }
      for (PodInfo existing : node.pods()) {
        if (existing.key().equals(pod.key())) {
          continue;
        }
        if (hasPreferred) {
          weighted(scores, pod.podAffinity().preferred(), existing, node, 1);
          weighted(scores, pod.podAffinity().preferredAnti(), existing, node, -1);
        }
        if (existing.podAffinity().isEmpty()) {
          continue;
        }
        for (PodAffinityTerm t : existing.podAffinity().required()) {
          term(scores, t, HARD_POD_AFFINITY_WEIGHT, pod, node);
        }
        weighted(scores, existing.podAffinity().preferred(), pod, node, 1);
        weighted(scores, existing.podAffinity().preferredAnti(), pod, node, -1);
      }
    }
    Map<String, Map<String, Long>> kept = state.computeIfAbsent(SCORE, () -> scores);
    return kept.isEmpty() ? Status.SKIP : Status.SUCCESS; // no term matched: 0 for every node
  }

  private void weighted(Map<String, Map<String, Long>> scores, List<PodAffinityTerm.Weighted> terms, PodInfo target,
      NodeInfo node, int sign) {
    for (PodAffinityTerm.Weighted w : terms) {
      term(scores, w.term(), (long) sign * w.weight(), target, node);
    }
  }

  private void term(Map<String, Map<String, Long>> scores, PodAffinityTerm t, long weight, PodInfo target,
      NodeInfo node) {
    if (t.matches(target, namespaces)) {
      String v = node.labels().get(t.topologyKey());
      if (v != null) {
        scores.computeIfAbsent(t.topologyKey(), k -> new HashMap<>()).merge(v, weight, Long::sum);
      }
    }
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    Map<String, Map<String, Long>> scores = state.get(SCORE);
    if (scores == null || scores.isEmpty()) {
      return 0;
    }
    long sum = 0;
    for (Map.Entry<String, Map<String, Long>> e : scores.entrySet()) {
      String v = node.labels().get(e.getKey());
      if (v != null) {
        sum += e.getValue().getOrDefault(v, 0L);
      }
    }
    return sum;
  }

  @Override
  public void normalize(CycleState state, PodInfo pod, long[] scores) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (long s : scores) {
      min = Math.min(min, s);
      max = Math.max(max, s);
    }
    long diff = max - min;
    for (int i = 0; i < scores.length; i++) {
      scores[i] = diff > 0 ? (long) (MAX_SCORE * ((scores[i] - min) / (double) diff)) : 0;
    }
  }
}
