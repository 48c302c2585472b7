package io.kafkube.scheduler.framework;

import java.util.List;

/**
 * The outcome of a filter for one node: success, or why the pod does not fit, in kube-scheduler's
 * words (each reason is counted in the "0/N nodes are available" message).
 */
public record Status(Code code, List<String> reasons) {
  /** As kube-scheduler's framework codes. */
  public enum Code {
    SUCCESS,
    /** The node may fit later, e.g. when pods leave it (preemption could help). */
    UNSCHEDULABLE,
    /** Nothing on the node will change this, e.g. a node selector mismatch. */
    UNSCHEDULABLE_AND_UNRESOLVABLE,
    /**
     * From a PreFilter or PreScore: the plugin has nothing to check or score for this pod (e.g. it has no
     * topology spread constraints), so its Filter or Score does not run in this cycle (kube's Skip).
     */
    SKIP
  }

  public static final Status SUCCESS = new Status(Code.SUCCESS, List.of());
  public static final Status SKIP = new Status(Code.SKIP, List.of());

  public Status {
    reasons = List.copyOf(reasons);
  }

  public static Status unschedulable(String... reasons) {
    return new Status(Code.UNSCHEDULABLE, List.of(reasons));
  }

  public static Status unresolvable(String... reasons) {
    return new Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, List.of(reasons));
  }

  public boolean isSuccess() {
    return code == Code.SUCCESS;
  }

  public boolean isSkip() {
    return code == Code.SKIP;
  }
}
