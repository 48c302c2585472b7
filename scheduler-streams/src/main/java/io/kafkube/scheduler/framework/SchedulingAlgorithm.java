package io.kafkube.scheduler.framework;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scheduling cycle over the pod and the nodes with their current claims, as kube-scheduler's
 * generic scheduler runs it: pre-filters over the whole cluster, then the filters on each node (the
 * first failing filter of a node gives its reasons) starting where the previous cycle stopped and
 * stopping once {@link #numFeasibleNodesToFind} feasible nodes are found; then the scores of those
 * nodes; the highest weighted total wins, ties to the first found, so the choice is deterministic
 * for a given sequence of cycles.
 */
public final class SchedulingAlgorithm {
  /** kube-scheduler's minFeasibleNodesToFind. */
  public static final int MIN_FEASIBLE_NODES_TO_FIND = 100;
  /** kube-scheduler's minFeasibleNodesPercentageToFind. */
  public static final int MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

  private final Profile profile;
  private final int percentageOfNodesToScore;
  private int nextStartNodeIndex;

  public SchedulingAlgorithm(Profile profile) {
    this(profile, 0);
  }

  /** @param percentageOfNodesToScore 0 for kube-scheduler's adaptive default; 100 (or more) to score all nodes */
  public SchedulingAlgorithm(Profile profile, int percentageOfNodesToScore) {
    if (percentageOfNodesToScore < 0) {
      throw new IllegalArgumentException("percentageOfNodesToScore must not be negative");
    }
    this.profile = profile;
    this.percentageOfNodesToScore = percentageOfNodesToScore;
  }

  public Profile profile() {
    return profile;
  }

  /**
   * How many feasible nodes a cycle looks for before it stops filtering (kube-scheduler's
   * numFeasibleNodesToFind): all of a cluster under 100 nodes; else the percentage (0 meaning
   * {@code max(5, 50 - nodes/125)}) of the nodes, at least 100.
   */
  public static int numFeasibleNodesToFind(int percentage, int numAllNodes) {
    if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND || percentage >= 100) {
      return numAllNodes;
    }
    if (percentage == 0) {
      percentage = 50 - numAllNodes / 125;
      if (percentage < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) {
        percentage = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
      }
    }
    int numNodes = (int) ((long) numAllNodes * percentage / 100);
    return Math.max(numNodes, MIN_FEASIBLE_NODES_TO_FIND);
  }

  /**
   * The pods nominated to nodes (their {@code status.nominatedNodeName}, set when they preempted) and
   * not bound yet, by node name, as kube-scheduler's nominator keeps them.
   */
  @FunctionalInterface
  public interface Nominations {
    Nominations NONE = node -> List.of();

    /** The pods nominated to the node; empty when none. */
    List<PodInfo> on(String node);
  }

  public ScheduleResult schedule(PodInfo pod, List<NodeInfo> nodes) {
    return schedule(pod, nodes, Nominations.NONE);
  }

  /**
   * One cycle, with the room of nominated pods reserved: on a node with pods nominated to it whose
   * priority is at least this pod's, the filters run as if those pods were already there, and again
   * without them (kube-scheduler's RunFilterPluginsWithNominatedPods), so that a lower-priority pod
   * never takes the room a preemptor is waiting for. The nominated pods count in what each node holds
   * (resources, pod count, the pods the node-level filters see) and, on that node, in the cluster-wide
   * counts of the pre-filters (topology spread, inter-pod affinity: {@link PreFilterPlugin#addPod}).
   */
  public ScheduleResult schedule(PodInfo pod, List<NodeInfo> nodes, Nominations nominations) {
    CycleState state = new CycleState();
    int n = nodes.size();
    Map<String, Integer> reasons = new HashMap<>();
    Status s = preFilter(state, pod, nodes);
    if (s != null) {
      Map<String, Status> failures = new LinkedHashMap<>();
      for (NodeInfo node : nodes) {
        failures.put(node.name(), s);
      }
      for (String r : s.reasons()) {
        reasons.merge(r, n, Integer::sum);
      }
      return new ScheduleResult(null, n, reasons, failures, String.join(", ", s.reasons()));
    }
    int wanted = numFeasibleNodesToFind(percentageOfNodesToScore, n);
    List<NodeInfo> feasible = new ArrayList<>(Math.min(wanted, n));
    Map<String, Status> failures = new HashMap<>();
    int start = n == 0 ? 0 : nextStartNodeIndex % n;
    int processed = 0;
    for (int i = 0; i < n && feasible.size() < wanted; i++) {
      NodeInfo node = nodes.get((start + i) % n);
      processed++;
      Status failed = filterWithNominated(state, pod, node, nominations);
      if (failed == null) {
        feasible.add(node);
      } else {
        failures.put(node.name(), failed);
        for (String r : failed.reasons()) {
          reasons.merge(r, 1, Integer::sum);
        }
      }
    }
    nextStartNodeIndex = n == 0 ? 0 : (start + processed) % n;
    if (feasible.isEmpty()) {
      return new ScheduleResult(null, n, reasons, failures);
    }
    if (feasible.size() == 1) {
      return ScheduleResult.placed(feasible.get(0).name(), n);
    }
    long[] total = score(state, pod, feasible, nodes);
    int best = 0;
    for (int i = 1; i < total.length; i++) {
      if (total[i] > total[best]) {
        best = i;
      }
    }
    return ScheduleResult.placed(feasible.get(best).name(), n);
  }

  /** The filters on the node with the nominated pods of at least the pod's priority on it, then without them. */
  Status filterWithNominated(CycleState state, PodInfo pod, NodeInfo node, Nominations nominations) {
    List<PodInfo> nominated = nominations.on(node.name());
    if (nominated.isEmpty()) {
      return filter(state, pod, node);
    }
    NodeInfo with = null;
    CycleState withState = null;
    for (PodInfo p : nominated) {
      if (p.priority() >= pod.priority() && !p.key().equals(pod.key())) {
        if (with == null) {
          with = node.copy();
          withState = state.copy();
          // a filter skipped for the pod alone may care about the pods added (an anti-affinity of theirs)
          withState.runAll();
        }
        with.addPod(p);
        for (FilterPlugin f : profile.filters()) {
          if (f instanceof PreFilterPlugin pre) {
            pre.addPod(withState, pod, p, node);
          }
        }
      }
    }
    if (with != null) {
      Status failed = filter(withState, pod, with);
      if (failed != null) {
        return failed;
      }
    }
    return filter(state, pod, node);
  }

  /** Runs the filters of the profile on one node (but those the cycle skips); null when it passes them all. */
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    for (FilterPlugin f : state.filters(profile.filters())) {
      Status s = f.filter(state, pod, node);
      if (!s.isSuccess()) {
        return s;
      }
    }
    return null;
  }

  /**
   * Runs the pre-filters; the first failing status, or null. Filters whose PreFilter says Skip are left
   * out of the cycle's {@link #filter}s.
   */
  public Status preFilter(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
    List<FilterPlugin> active = null;
    List<FilterPlugin> all = profile.filters();
    for (int i = 0; i < all.size(); i++) {
      FilterPlugin f = all.get(i);
      if (f instanceof PreFilterPlugin pre) {
        Status s = pre.preFilter(state, pod, nodes);
        if (s.isSkip()) {
          if (active == null) {
            active = new ArrayList<>(all.subList(0, i));
          }
          continue;
        }
        if (!s.isSuccess()) {
          return s;
        }
      }
      if (active != null) {
        active.add(f);
      }
    }
    if (active != null) {
      state.runOnly(active);
    }
    return null;
  }

  private long[] score(CycleState state, PodInfo pod, List<NodeInfo> feasible, List<NodeInfo> all) {
    long[] total = new long[feasible.size()];
    for (Profile.WeightedScore ws : profile.scores()) {
      if (ws.plugin() instanceof PreScorePlugin pre && pre.preScore(state, pod, feasible, all).isSkip()) {
        continue; // the same score for every node: adds nothing to the comparison
      }
      long[] s = new long[feasible.size()];
      for (int i = 0; i < s.length; i++) {
        s[i] = ws.plugin().score(state, pod, feasible.get(i));
      }
      ws.plugin().normalize(state, pod, s);
      for (int i = 0; i < s.length; i++) {
        total[i] += s[i] * ws.weight();
      }
    }
    return total;
  }
}
