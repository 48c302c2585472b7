package io.kafkube.scheduler.framework;

import io.kafkube.schemas.meta.AvroPaths;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/**
 * A pod topology spread constraint: pods matching {@code selector} (in the pod's namespace) must not
 * be spread over the domains of {@code topologyKey} with a skew above {@code maxSkew}.
 *
 * @param hard               {@code whenUnsatisfiable: DoNotSchedule} (a filter); otherwise ScheduleAnyway (a score)
 * @param minDomains         below this many eligible domains the global minimum counts as 0; 1 when unset
 * @param honorNodeAffinity  {@code nodeAffinityPolicy} (default Honor): only nodes matching the pod's node
 *                           selector/affinity are counted
 * @param honorTaints        {@code nodeTaintsPolicy} (default Ignore): when Honor, only nodes whose taints
 *                           the pod tolerates are counted
 */
public record SpreadConstraint(int maxSkew, String topologyKey, boolean hard, LabelSelector selector,
    int minDomains, boolean honorNodeAffinity, boolean honorTaints) {

  static SpreadConstraint of(GenericRecord c, Map<String, String> podLabels) {
    Long skew = AvroPaths.longValue(c, "maxSkew");
    Long min = AvroPaths.longValue(c, "minDomains");
    String key = AvroPaths.string(c, "topologyKey");
    LabelSelector selector = LabelSelector.of(AvroPaths.record(c, "labelSelector"))
        .withLabelKeys(Records.strings(c, "matchLabelKeys"), java.util.List.of(), podLabels);
    return new SpreadConstraint(skew == null || skew < 1 ? 1 : skew.intValue(), key == null ? "" : key,
        !"ScheduleAnyway".equals(AvroPaths.string(c, "whenUnsatisfiable")), selector,
        min == null || min < 1 ? 1 : min.intValue(), !"Ignore".equals(AvroPaths.string(c, "nodeAffinityPolicy")),
        "Honor".equals(AvroPaths.string(c, "nodeTaintsPolicy")));
  }
}
