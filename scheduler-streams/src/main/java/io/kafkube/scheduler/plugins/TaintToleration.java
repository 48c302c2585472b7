package io.kafkube.scheduler.plugins;

import io.kafkube.scheduler.framework.CycleState;
import io.kafkube.scheduler.framework.FilterPlugin;
import io.kafkube.scheduler.framework.NodeInfo;
import io.kafkube.scheduler.framework.PodInfo;
import io.kafkube.scheduler.framework.ScorePlugin;
import io.kafkube.scheduler.framework.Status;
import io.kafkube.scheduler.framework.Taint;
import io.kafkube.scheduler.framework.Toleration;

/**
 * Taints and tolerations: a {@code NoSchedule} or {@code NoExecute} taint the pod does not tolerate
 * rules the node out; each untolerated {@code PreferNoSchedule} taint lowers the node's score.
 */
public final class TaintToleration implements FilterPlugin, ScorePlugin {
  @Override
  public String name() {
    return "TaintToleration";
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    for (Taint taint : node.taints()) {
      boolean hard = Taint.NO_SCHEDULE.equals(taint.effect()) || Taint.NO_EXECUTE.equals(taint.effect());
      if (hard && !tolerated(pod, taint)) {
        return Status.unresolvable("node(s) had untolerated taint " + taint.describe());
      }
    }
    return Status.SUCCESS;
  }

  /** The number of untolerated PreferNoSchedule taints; normalized so that fewer is better. */
  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    long count = 0;
    for (Taint taint : node.taints()) {
      if (Taint.PREFER_NO_SCHEDULE.equals(taint.effect()) && !tolerated(pod, taint)) {
        count++;
      }
    }
    return count;
  }

  @Override
  public void normalize(CycleState state, PodInfo pod, long[] scores) {
    long max = 0;
    for (long s : scores) {
      max = Math.max(max, s);
    }
    for (int i = 0; i < scores.length; i++) {
      scores[i] = max == 0 ? MAX_SCORE : MAX_SCORE - scores[i] * MAX_SCORE / max;
    }
  }

  /** Whether the pod tolerates every NoSchedule and NoExecute taint of the node. */
  public static boolean toleratesHardTaints(PodInfo pod, NodeInfo node) {
    for (Taint taint : node.taints()) {
      boolean hard = Taint.NO_SCHEDULE.equals(taint.effect()) || Taint.NO_EXECUTE.equals(taint.effect());
      if (hard && !tolerated(pod, taint)) {
        return false;
      }
    }
    return true;
  }

  private static boolean tolerated(PodInfo pod, Taint taint) {
    for (Toleration t : pod.tolerations()) {
      if (t.tolerates(taint)) {
        return true;
      }
    }
    return false;
  }
}
