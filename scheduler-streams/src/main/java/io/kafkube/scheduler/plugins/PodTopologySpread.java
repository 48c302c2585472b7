package io.kafkube.scheduler.plugins;

import io.kafkube.scheduler.framework.CycleState;
import io.kafkube.scheduler.framework.FilterPlugin;
import io.kafkube.scheduler.framework.LabelSelector;
import io.kafkube.scheduler.framework.NodeInfo;
import io.kafkube.scheduler.framework.PodInfo;
import io.kafkube.scheduler.framework.PreFilterPlugin;
import io.kafkube.scheduler.framework.PreScorePlugin;
import io.kafkube.scheduler.framework.ScorePlugin;
import io.kafkube.scheduler.framework.SpreadConstraint;
import io.kafkube.scheduler.framework.Status;
import io.kafkube.scheduler.framework.Workloads;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pod topology spread constraints, as kube-scheduler's PodTopologySpread plugin.
 *
 * <p>Filter ({@code whenUnsatisfiable: DoNotSchedule}): over the nodes that carry every hard
 * constraint's topology key and pass its node inclusion policies, count per domain the pods matching
 * the constraint's selector in the pod's namespace (terminating pods excluded). A node fits when, for
 * every constraint, {@code count(node's domain) + (1 if the pod matches its own selector) - global
 * minimum <= maxSkew}; the global minimum counts as 0 while there are fewer eligible domains than
 * {@code minDomains}. A node without a constraint's key is ruled out.
 *
 * <p>Score ({@code ScheduleAnyway}): per constraint {@code count x log(domains + 2) + maxSkew - 1},
 * fewer matching pods is better; normalized so the emptiest node scores 100. Feasible nodes without
 * every key score 0.
 *
 * <p>System defaults ({@code defaultingType: System}): a pod without constraints of its own that a
 * Service, ReplicaSet or StatefulSet groups ({@link Workloads#defaultSelector}) is scored as if it had
 * {@code kubernetes.io/hostname} maxSkew 3 and {@code topology.kubernetes.io/zone} maxSkew 5, both
 * ScheduleAnyway, with that selector; then nodes lacking a key are not left out of scoring (their
 * missing label counts as a domain of its own, as in kube).
 *
 * <p>A pod nominated to a node counts there in the filter's counts when its priority is at least the
 * incoming pod's ({@link #addPod}).
 */
public final class PodTopologySpread implements FilterPlugin, PreFilterPlugin, ScorePlugin, PreScorePlugin {
  public static final String CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
  public static final String NODE_LABEL_NOT_MATCH = CONSTRAINTS_NOT_MATCH + " (missing required label)";
  static final String HOSTNAME = "kubernetes.io/hostname";
  static final String ZONE = "topology.kubernetes.io/zone";
  /** kube-scheduler's systemDefaultConstraints (hostname maxSkew 3, zone maxSkew 5, ScheduleAnyway). */
  static final List<SpreadConstraint> SYSTEM_DEFAULTS = List.of(
      new SpreadConstraint(3, HOSTNAME, false, LabelSelector.NOTHING, 1, true, false),
      new SpreadConstraint(5, ZONE, false, LabelSelector.NOTHING, 1, true, false));

  private static final CycleState.Key<FilterState> FILTER = new CycleState.Key<>("PodTopologySpread/filter");
  private static final CycleState.Key<ScoreState> SCORE = new CycleState.Key<>("PodTopologySpread/score");

  /** Per hard constraint: matching pods per domain value, and the smallest count. */
  static final class FilterState implements CycleState.Data {
    final List<SpreadConstraint> constraints;
    final List<Map<String, Integer>> counts = new ArrayList<>();
    final long[] min;

    FilterState(List<SpreadConstraint> constraints) {
      this.constraints = constraints;
      this.min = new long[constraints.size()];
      for (int i = 0; i < constraints.size(); i++) {
        counts.add(new HashMap<>());
      }
    }

    @Override
    public FilterState copy() {
      FilterState c = new FilterState(constraints);
      for (int i = 0; i < constraints.size(); i++) {
        c.counts.get(i).putAll(counts.get(i));
        c.min[i] = min[i];
      }
      return c;
    }

    long minMatch(int i) {
      if (counts.get(i).size() < constraints.get(i).minDomains()) {
        return 0;
      }
      return min[i];
    }
  }

  static final class ScoreState {
    final List<SpreadConstraint> constraints;
    final List<Map<String, Integer>> counts = new ArrayList<>();
    final double[] weights;
    final Set<String> ignored = new HashSet<>();
    /** Nodes lacking a topology key are scored too (system defaults), not ignored. */
    final boolean requireAllTopologies;

    ScoreState(List<SpreadConstraint> constraints, boolean requireAllTopologies) {
      this.constraints = constraints;
      this.requireAllTopologies = requireAllTopologies;
      this.weights = new double[constraints.size()];
      for (int i = 0; i < constraints.size(); i++) {
        counts.add(new HashMap<>());
      }
    }
  }

  private final Workloads workloads;

  /** Without system defaults' selectors: only the pods' own constraints apply. */
  public PodTopologySpread() {
    this(Workloads.NONE);
  }

  /** @param workloads the Services and controllers the system default constraints' selectors come from */
  public PodTopologySpread(Workloads workloads) {
    this.workloads = workloads;
  }

  @Override
  public String name() {
    return "PodTopologySpread";
  }

  /**
   * The system default constraints for a pod without constraints of its own (none when nothing
   * groups it), with kube's {@code DefaultSelector} as their selector.
   */
  List<SpreadConstraint> defaultConstraints(PodInfo pod) {
    if (!pod.spreadConstraints().isEmpty()) {
      return List.of();
    }
    LabelSelector selector = workloads.defaultSelector(pod);
    if (selector.isEmpty()) {
      return List.of();
    }
    List<SpreadConstraint> out = new ArrayList<>();
    for (SpreadConstraint c : SYSTEM_DEFAULTS) {
      out.add(new SpreadConstraint(c.maxSkew(), c.topologyKey(), c.hard(), selector, c.minDomains(),
          c.honorNodeAffinity(), c.honorTaints()));
    }
    return out;
  }

  static List<SpreadConstraint> constraints(PodInfo pod, boolean hard) {
    List<SpreadConstraint> out = new ArrayList<>();
    for (SpreadConstraint c : pod.spreadConstraints()) {
      if (c.hard() == hard) {
        out.add(c);
      }
    }
    return out;
  }

  static boolean hasAllKeys(NodeInfo node, List<SpreadConstraint> constraints) {
    for (SpreadConstraint c : constraints) {
      if (!node.labels().containsKey(c.topologyKey())) {
        return false;
      }
    }
    return true;
  }

  static boolean included(SpreadConstraint c, PodInfo pod, NodeInfo node) {
    return (!c.honorNodeAffinity() || NodeAffinity.matches(pod, node))
        && (!c.honorTaints() || TaintToleration.toleratesHardTaints(pod, node));
  }

  /** What {@link #countMatching} counts, as a memo key of the node. */
  private record MatchingPods(LabelSelector selector, String namespace) {}

  static int countMatching(NodeInfo node, LabelSelector selector, String namespace) {
    return (int) node.memoCount(new MatchingPods(selector, namespace), n -> count(n, selector, namespace));
  }

  private static int count(NodeInfo node, LabelSelector selector, String namespace) {
    int n = 0;
    for (PodInfo p : node.pods()) {
      if (!p.deleting() && namespace.equals(p.namespace()) && selector.matches(p.labels())) {
        n++;
      }
    }
    return n;
  }

  @Override
  public Status preFilter(CycleState state, PodInfo pod, List<NodeInfo> allNodes) {
    FilterState s = state.computeIfAbsent(FILTER, () -> computeFilter(pod, allNodes));
    return s.constraints.isEmpty() ? Status.SKIP : Status.SUCCESS; // no hard constraint: every node passes
  }

  private static FilterState computeFilter(PodInfo pod, List<NodeInfo> allNodes) {
    FilterState s = new FilterState(constraints(pod, true));
    if (s.constraints.isEmpty()) {
      return s;
    }
    for (NodeInfo node : allNodes) {
      if (!hasAllKeys(node, s.constraints)) {
        continue;
      }
      for (int i = 0; i < s.constraints.size(); i++) {
        SpreadConstraint c = s.constraints.get(i);
        if (!included(c, pod, node)) {
          continue;
        }
        s.counts.get(i).merge(node.labels().get(c.topologyKey()), countMatching(node, c.selector(), pod.namespace()),
            Integer::sum);
      }
    }
    for (int i = 0; i < s.constraints.size(); i++) {
      long min = Long.MAX_VALUE;
      for (int v : s.counts.get(i).values()) {
        min = Math.min(min, v);
      }
      s.min[i] = min;
    }
    return s;
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    FilterState s = state.get(FILTER);
    if (s == null) {
      throw new IllegalStateException("PodTopologySpread: filter without preFilter");
    }
    for (int i = 0; i < s.constraints.size(); i++) {
      SpreadConstraint c = s.constraints.get(i);
      String value = node.labels().get(c.topologyKey());
      if (value == null) {
        return Status.unresolvable(NODE_LABEL_NOT_MATCH);
      }
      long self = c.selector().matches(pod.labels()) ? 1 : 0;
      long skew = s.counts.get(i).getOrDefault(value, 0) + self - s.minMatch(i);
      if (skew > c.maxSkew()) {
        return Status.unschedulable(CONSTRAINTS_NOT_MATCH);
      }
    }
    return Status.SUCCESS;
  }

  /** The counts of this cycle as if {@code added} (a nominated pod) were on the node (kube's updateWithPod). */
  @Override
  public void addPod(CycleState state, PodInfo pod, PodInfo added, NodeInfo node) {
    FilterState s = state.get(FILTER);
    if (s == null || s.constraints.isEmpty() || !java.util.Objects.equals(added.namespace(), pod.namespace())
        || !hasAllKeys(node, s.constraints)) {
      return;
    }
    for (int i = 0; i < s.constraints.size(); i++) {
      SpreadConstraint c = s.constraints.get(i);
      if (!c.selector().matches(added.labels()) || !included(c, pod, node)) {
        continue;
      }
      Map<String, Integer> counts = s.counts.get(i);
      counts.merge(node.labels().get(c.topologyKey()), 1, Integer::sum);
      long min = Long.MAX_VALUE;
      for (int v : counts.values()) {
        min = Math.min(min, v);
      }
      s.min[i] = min;
    }
  }

  @Override
  public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasible, List<NodeInfo> allNodes) {
    boolean own = !pod.spreadConstraints().isEmpty();
    ScoreState s = new ScoreState(own ? constraints(pod, false) : defaultConstraints(pod), own);
    state.computeIfAbsent(SCORE, () -> s);
    if (s.constraints.isEmpty()) {
      return Status.SKIP; // no soft constraint: 0 for every node
    }
    int eligible = 0;
    int[] domains = new int[s.constraints.size()];
    for (NodeInfo node : feasible) {
      if (s.requireAllTopologies && !hasAllKeys(node, s.constraints)) {
        s.ignored.add(node.name());
        continue;
      }
      eligible++;
      for (int i = 0; i < s.constraints.size(); i++) {
        SpreadConstraint c = s.constraints.get(i);
        if (c.topologyKey().equals(HOSTNAME)) {
          continue;
        }
        if (s.counts.get(i).putIfAbsent(node.labels().getOrDefault(c.topologyKey(), ""), 0) == null) {
          domains[i]++;
        }
      }
    }
    for (int i = 0; i < s.constraints.size(); i++) {
      int size = s.constraints.get(i).topologyKey().equals(HOSTNAME) ? eligible : domains[i];
      s.weights[i] = Math.log(size + 2);
    }
    for (NodeInfo node : allNodes) {
      if (s.requireAllTopologies && !hasAllKeys(node, s.constraints)) {
        continue;
      }
      for (int i = 0; i < s.constraints.size(); i++) {
        SpreadConstraint c = s.constraints.get(i);
        if (c.topologyKey().equals(HOSTNAME) || !included(c, pod, node)) {
          continue;
        }
        Map<String, Integer> counts = s.counts.get(i);
        String value = node.labels().getOrDefault(c.topologyKey(), "");
        if (counts.containsKey(value)) {
          counts.merge(value, countMatching(node, c.selector(), pod.namespace()), Integer::sum);
        }
      }
    }
    return Status.SUCCESS;
  }

  /** The raw score; -1 marks a node left out of scoring (normalized to 0). */
  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    ScoreState s = state.get(SCORE);
    if (s == null || s.constraints.isEmpty()) {
      return 0;
    }
    if (s.ignored.contains(node.name())) {
      return -1;
    }
    double score = 0;
    for (int i = 0; i < s.constraints.size(); i++) {
      SpreadConstraint c = s.constraints.get(i);
      String value = node.labels().get(c.topologyKey());
      if (value == null) {
        continue;
      }
      long count = c.topologyKey().equals(HOSTNAME) ? countMatching(node, c.selector(), pod.namespace())
          : s.counts.get(i).getOrDefault(value, 0);
      score += count * s.weights[i] + (c.maxSkew() - 1);
    }
    return Math.round(score);
  }

  @Override
  public void normalize(CycleState state, PodInfo pod, long[] scores) {
    ScoreState s = state.get(SCORE);
    if (s == null || s.constraints.isEmpty()) {
      return;
    }
    long min = Long.MAX_VALUE;
    long max = 0;
    for (long v : scores) {
      if (v >= 0) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    for (int i = 0; i < scores.length; i++) {
      if (scores[i] < 0) {
        scores[i] = 0;
      } else if (max == 0) {
        scores[i] = MAX_SCORE;
      } else {
        scores[i] = MAX_SCORE * (max + min - scores[i]) / max;
      }
    }
  }
}
