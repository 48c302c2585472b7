package io.kafkube.scheduler.internal;

import io.kafkube.scheduler.framework.LabelSelector;
import io.kafkube.scheduler.framework.NodeInfo;
import io.kafkube.scheduler.framework.PodInfo;
import io.kafkube.scheduler.framework.Preemption;
import io.kafkube.schemas.meta.AvroPaths;
import io.kafkube.schemas.meta.Meta;
import java.util.Collection;
import org.apache.avro.generic.GenericRecord;

/**
 * A PodDisruptionBudget as preemption needs it. {@code status.disruptionsAllowed} is used once the
 * disruption controller has observed the budget ({@code status.observedGeneration} set); until then
 * the scheduler computes it the way that controller does for bare pods: expected = the matching pods,
 * healthy = those bound and not terminating, desired = {@code minAvailable} (a count or a percentage
 * rounded up) or expected minus {@code maxUnavailable} (rounded up), allowed = healthy - desired.
 */
final class Budgets {
  private Budgets() {}

  static Preemption.Budget of(GenericRecord pdb, Collection<NodeInfo> nodes) {
    GenericRecord spec = AvroPaths.record(pdb, "spec");
    GenericRecord status = AvroPaths.record(pdb, "status");
    String ns = Meta.namespace(pdb) == null ? "default" : Meta.namespace(pdb);
    LabelSelector selector = LabelSelector.of(AvroPaths.record(spec, "selector"));
    Long allowed = AvroPaths.longValue(status, "disruptionsAllowed");
    if (allowed != null && AvroPaths.longValue(status, "observedGeneration") != null) {
      return new Preemption.Budget(ns, selector, allowed.intValue());
    }
    int expected = 0;
    int healthy = 0;
    for (NodeInfo n : nodes) {
      for (PodInfo p : n.pods()) {
        if (ns.equals(p.namespace()) && selector.matches(p.labels())) {
          expected++;
          if (!p.deleting()) {
            healthy++;
          }
        }
      }
    }
    Object min = spec == null ? null : spec.get("minAvailable");
    Object max = spec == null ? null : spec.get("maxUnavailable");
    int desired;
    if (min != null) {
      desired = amount(min, expected);
    } else if (max != null) {
      desired = Math.max(0, expected - amount(max, expected));
    } else {
      desired = expected; // neither set: taken as allowing no disruption
    }
    return new Preemption.Budget(ns, selector, Math.max(0, healthy - desired));
  }

  /** An int-or-string: a count, or a percentage of {@code total} rounded up. */
  static int amount(Object v, int total) {
    if (v instanceof Number n) {
      return n.intValue();
    }
    String s = v.toString().trim();
    if (s.endsWith("%")) {
      try {
        int pct = Integer.parseInt(s.substring(0, s.length() - 1));
        return (int) Math.ceil(total * pct / 100.0);
      } catch (NumberFormatException e) {
        return total;
      }
    }
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return total;
    }
  }
}
