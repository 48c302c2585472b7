package io.kafkube.schemas.meta;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Sets one condition in a pod's {@code status.conditions}, keeping the others, as kube-apiserver and
 * kube-scheduler do: {@code lastTransitionTime} moves only when the status changes. The conditions list
 * and the condition set are new; the other condition records are kept as they are, and none is changed.
 */
public final class PodConditions {
  private PodConditions() {}

  public static void set(GenericRecord pod, String type, String status, String reason, String message, long now) {
    GenericRecord st = AvroPaths.recordOrCreate(pod, "status");
    Schema listSchema = AvroPaths.nonNull(st.getSchema().getField("conditions").schema());
    Schema condSchema = AvroPaths.nonNull(listSchema.getElementType());
    List<Object> conditions = new ArrayList<>();
    Object existing = st.get("conditions");
    GenericRecord cond = null;
    if (existing instanceof List<?> l) {
      for (Object o : l) {
        GenericRecord c = (GenericRecord) o;
        if (type.equals(AvroPaths.string(c, "type"))) {
          c = AvroPaths.shallowCopy(c);
          cond = c;
        }
        conditions.add(c);
      }
    }
    if (cond == null) {
      cond = new GenericData.Record(condSchema);
      cond.put("type", type);
      conditions.add(cond);
    }
    if (!status.equals(AvroPaths.string(cond, "status"))) {
      cond.put("lastTransitionTime", now);
    }
    cond.put("status", status);
    cond.put("reason", reason);
    cond.put("message", message);
    if (cond.getSchema().getField("lastProbeTime") != null) {
      cond.put("lastProbeTime", null);
    }
    st.put("conditions", new GenericData.Array<>(listSchema, conditions));
  }
}
