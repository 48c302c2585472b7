package io.kafkube.scheduler.framework;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * kube-scheduler's DefaultPreemption for a pod that fits nowhere: on the nodes where a filter said
 * {@code Unschedulable} (not unresolvable), remove every pod of lower priority, check that the pod
 * then fits (all filters, with the cluster-wide pre-filters recomputed), and add back ("reprieve") as
 * many of them as still let it fit, highest priority first, the pods whose eviction would break a
 * PodDisruptionBudget before the others. Of the nodes that work, the one with the fewest budget
 * violations, then the lowest highest-priority victim, then the smallest sum of victim priorities,
 * then the fewest victims, then the latest-created highest-priority victims, then the first node.
 */
public final class Preemption {
  public static final String NOT_HELPFUL = "Preemption is not helpful for scheduling";
  public static final String NO_VICTIMS = "No preemption victims found for incoming pod";
  public static final String POLICY_NEVER = "not eligible due to preemptionPolicy=Never.";
  public static final String TERMINATING = "not eligible due to a terminating pod on the nominated node.";
  /** kube-scheduler's minCandidateNodesPercentage and minCandidateNodesAbsolute. */
  static final int MIN_CANDIDATE_NODES_PERCENTAGE = 10;
  static final int MIN_CANDIDATE_NODES_ABSOLUTE = 100;

  /** A PodDisruptionBudget: the pods it covers and how many of them may still be disrupted. */
  public record Budget(String namespace, LabelSelector selector, int disruptionsAllowed) {
    boolean covers(PodInfo p) {
      return namespace.equals(p.namespace()) && selector.matches(p.labels());
    }
  }

  /** A node where the pod fits once {@code victims} are gone. */
  public record Candidate(String node, List<PodInfo> victims, int budgetViolations) {}

  /** The chosen candidate, or null with the reason in kube-scheduler's words. */
  public record Outcome(Candidate chosen, String message) {}

  private final SchedulingAlgorithm algorithm;

  public Preemption(SchedulingAlgorithm algorithm) {
    this.algorithm = algorithm;
  }

  /**
   * @param failed the cycle that found no node (its per-node failures)
   * @param terminatingOnNominated whether a lower-priority pod on the pod's nominated node is already
   *        being deleted (a preemption of this pod is under way)
   */
  public Outcome preempt(PodInfo pod, List<NodeInfo> nodes, ScheduleResult failed, List<Budget> budgets,
      boolean terminatingOnNominated) {
    return preempt(pod, nodes, failed, budgets, terminatingOnNominated, SchedulingAlgorithm.Nominations.NONE);
  }

  /**
   * The same, with the room of nominated pods reserved as in a cycle: a node where the pod would fit
   * only by taking the room a pod of at least its priority is nominated to is no candidate
   * (kube-scheduler's SelectVictimsOnNode filters with the nominated pods too).
   */
  public Outcome preempt(PodInfo pod, List<NodeInfo> nodes, ScheduleResult failed, List<Budget> budgets,
      boolean terminatingOnNominated, SchedulingAlgorithm.Nominations nominations) {
    if (pod.preemptNever()) {
      return new Outcome(null, POLICY_NEVER);
    }
    if (terminatingOnNominated) {
      return new Outcome(null, TERMINATING);
    }
    int unresolvable = 0;
    List<Integer> potential = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      Status s = failed.failures().get(nodes.get(i).name());
      if (s == null || s.code() == Status.Code.UNSCHEDULABLE) {
        potential.add(i);
      } else {
        unresolvable++;
      }
    }
    int wanted = Math.min(potential.size(), Math.max(MIN_CANDIDATE_NODES_ABSOLUTE,
        nodes.size() * MIN_CANDIDATE_NODES_PERCENTAGE / 100));
    List<Candidate> candidates = new ArrayList<>();
    int noVictims = 0;
    for (int i : potential) {
      if (candidates.size() >= wanted) {
        break;
      }
      Candidate c = selectVictims(pod, nodes, i, budgets, nominations);
      if (c == null) {
        noVictims++;
      } else {
        candidates.add(c);
      }
    }
    if (candidates.isEmpty()) {
      return new Outcome(null, message(nodes.size(), noVictims, unresolvable));
    }
    return new Outcome(pick(candidates), null);
  }

  static String message(int numNodes, int noVictims, int notHelpful) {
    List<String> parts = new ArrayList<>();
    if (noVictims > 0) {
      parts.add(noVictims + " " + NO_VICTIMS);
    }
    if (notHelpful > 0) {
      parts.add(notHelpful + " " + NOT_HELPFUL);
    }
    parts.sort(null);
    return "0/" + numNodes + " nodes are available: " + String.join(", ", parts) + ".";
  }

  /** The victims on node {@code index}, or null when removing every lower-priority pod does not help. */
  Candidate selectVictims(PodInfo pod, List<NodeInfo> nodes, int index, List<Budget> budgets) {
    return selectVictims(pod, nodes, index, budgets, SchedulingAlgorithm.Nominations.NONE);
  }

  Candidate selectVictims(PodInfo pod, List<NodeInfo> nodes, int index, List<Budget> budgets,
      SchedulingAlgorithm.Nominations nominations) {
    NodeInfo original = nodes.get(index);
    NodeInfo node = original.copy();
    List<PodInfo> lower = new ArrayList<>();
    for (PodInfo p : original.pods()) {
      if (p.priority() < pod.priority()) {
        lower.add(p);
        node.removePod(p);
      }
    }
    if (lower.isEmpty()) {
      return null;
    }
    List<NodeInfo> view = new ArrayList<>(nodes);
    view.set(index, node);
    if (!fits(pod, view, node, nominations)) {
      return null;
    }
    // Highest priority first, then the longest running (kube's MoreImportantPod).
    lower.sort(Comparator.comparingInt(PodInfo::priority).reversed()
        .thenComparingLong(PodInfo::creationTimestamp).thenComparing(PodInfo::key));
    Map<Budget, Integer> allowed = new IdentityHashMap<>();
    budgets.forEach(b -> allowed.put(b, b.disruptionsAllowed()));
    List<PodInfo> violating = new ArrayList<>();
    List<PodInfo> nonViolating = new ArrayList<>();
    for (PodInfo p : lower) {
      boolean violates = false;
      for (Budget b : budgets) {
        if (b.covers(p)) {
          int left = allowed.get(b);
          if (left <= 0) {
            violates = true;
          }
          allowed.put(b, left - 1);
        }
      }
      (violates ? violating : nonViolating).add(p);
    }
    List<PodInfo> victims = new ArrayList<>();
    int violations = 0;
    for (PodInfo p : violating) {
      node.addPod(p);
      if (!fits(pod, view, node, nominations)) {
        node.removePod(p);
        victims.add(p);
        violations++;
      }
    }
    for (PodInfo p : nonViolating) {
      node.addPod(p);
      if (!fits(pod, view, node, nominations)) {
        node.removePod(p);
        victims.add(p);
      }
    }
    return victims.isEmpty() ? null : new Candidate(original.name(), victims, violations);
  }

  private boolean fits(PodInfo pod, List<NodeInfo> view, NodeInfo node,
      SchedulingAlgorithm.Nominations nominations) {
    CycleState state = new CycleState();
    return algorithm.preFilter(state, pod, view) == null
        && algorithm.filterWithNominated(state, pod, node, nominations) == null;
  }

  static Candidate pick(List<Candidate> candidates) {
    Comparator<Candidate> order = Comparator.<Candidate>comparingInt(Candidate::budgetViolations)
        .thenComparingInt(c -> highestPriority(c))
        .thenComparingLong(c -> prioritySum(c))
        .thenComparingInt(c -> c.victims().size())
        .thenComparing(Comparator.comparingLong((Candidate c) -> earliestStartOfHighest(c)).reversed());
    Candidate best = candidates.get(0);
    for (Candidate c : candidates) {
      if (order.compare(c, best) < 0) {
        best = c;
      }
    }
    return best;
  }

  private static int highestPriority(Candidate c) {
    int max = Integer.MIN_VALUE;
    for (PodInfo p : c.victims()) {
      max = Math.max(max, p.priority());
    }
    return c.victims().isEmpty() ? Integer.MIN_VALUE : max;
  }

  /** Priorities shifted to be non-negative, as kube-scheduler sums them. */
  private static long prioritySum(Candidate c) {
    long sum = 0;
    for (PodInfo p : c.victims()) {
      sum += (long) p.priority() + Integer.MAX_VALUE + 1L;
    }
    return sum;
  }

  private static long earliestStartOfHighest(Candidate c) {
    int highest = highestPriority(c);
    long earliest = Long.MAX_VALUE;
    for (PodInfo p : c.victims()) {
      if (p.priority() == highest) {
        earliest = Math.min(earliest, p.creationTimestamp());
      }
    }
    return earliest;
  }
}
