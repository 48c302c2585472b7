package io.kafkube.scheduler.framework;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one scheduling cycle: the chosen node, or why no node fits.
 *
 * @param node    the chosen node, null when none fits
 * @param reasons when none fits: how many nodes gave each reason
 * @param preFilterMessage when a pre-filter ruled out every node: its reasons (kube's
 *                         {@code Diagnosis.PreFilterMsg}), which replace the per-node reasons in the message
 */
public record ScheduleResult(String node, int numNodes, Map<String, Integer> reasons, Map<String, Status> failures,
    String preFilterMessage) {
  public static final String REASON_UNSCHEDULABLE = "Unschedulable";

  public ScheduleResult {
    reasons = Map.copyOf(reasons);
    failures = Map.copyOf(failures);
  }

  public ScheduleResult(String node, int numNodes, Map<String, Integer> reasons, Map<String, Status> failures) {
    this(node, numNodes, reasons, failures, null);
  }

  public ScheduleResult(String node, int numNodes, Map<String, Integer> reasons) {
    this(node, numNodes, reasons, Map.of());
  }

  public static ScheduleResult placed(String node, int numNodes) {
    return new ScheduleResult(node, numNodes, Map.of(), Map.of());
  }

  public boolean isPlaced() {
    return node != null;
  }

  /** kube-scheduler's message when the cluster has no node at all. */
  public static final String NO_NODES = "no nodes available to schedule pods";

  /**
   * kube-scheduler's FitError message, preemption having found no victims: {@code 0/5 nodes are
   * available: 3 Insufficient cpu, 2 node(s) had untolerated taint {…}. preemption: 0/5 nodes are
   * available: 3 No preemption victims found for incoming pod, 2 Preemption is not helpful for
   * scheduling.} Reasons are "count reason" strings sorted as strings, as Go's {@code sort.Strings}.
   */
  public String message() {
    int unresolvable = 0;
    for (Status s : failures.values()) {
      if (s.code() == Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
        unresolvable++;
      }
    }
    int helpful = failures.isEmpty() ? 0 : failures.size() - unresolvable;
    if (failures.isEmpty()) {
      unresolvable = numNodes;
    }
    return message(Preemption.message(numNodes, helpful, unresolvable));
  }

  /** The FitError message with the given preemption part (null: preemption found a node, none). */
  public String message(String preemption) {
    if (numNodes == 0) {
      return NO_NODES;
    }
    StringBuilder sb = new StringBuilder("0/").append(numNodes).append(" nodes are available:");
    if (preFilterMessage != null) {
      sb.append(' ').append(preFilterMessage).append('.');
      if (preemption != null) {
        sb.append(" preemption: ").append(preemption);
      }
      return sb.toString();
    }
    List<String> parts = new ArrayList<>();
    reasons.forEach((reason, count) -> parts.add(count + " " + reason));
    parts.sort(null);
    if (!parts.isEmpty()) {
      sb.append(' ').append(String.join(", ", parts)).append('.');
    }
    if (preemption != null) {
      sb.append(" preemption: ").append(preemption);
    }
    return sb.toString();
  }
}
