package io.kafkube.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.api.ApiException;
import io.kafkube.api.apply.FieldPath;
import io.kafkube.api.apply.FieldSet;
import io.kafkube.api.table.Tables;
import io.kafkube.schemas.meta.AvroPaths;
import io.kafkube.schemas.meta.Meta;
import io.kafkube.schemas.status.Cause;
import io.kafkube.schemas.status.Statuses;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/** The {@code scale} subresource: {@code autoscaling/v1 Scale} views of deployments, replica sets, stateful sets. */
final class Scales {
  /** What a Scale's managers own: its {@code spec.replicas}, the parent's {@code spec.replicas}. */
  private static final FieldPath REPLICAS = FieldPath.of("spec", "replicas");

  private Scales() {}

  static ObjectNode toScale(GenericRecord obj) {
    ObjectNode json = Json.object(obj);
    ObjectNode s = Json.MAPPER.createObjectNode();
    s.put("kind", "Scale");
    s.put("apiVersion", "autoscaling/v1");
    ObjectNode md = s.putObject("metadata");
    JsonNode m = json.path("metadata");
    for (String f : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
      if (m.has(f)) {
        md.set(f, m.get(f));
      }
    }
    ArrayNode managed = scaleManagedFields(m.path("managedFields"));
    if (!managed.isEmpty()) {
      md.set("managedFields", managed);
    }
    s.putObject("spec").put("replicas", json.path("spec").path("replicas").asInt(1));
    ObjectNode status = s.putObject("status");
    status.put("replicas", json.path("status").path("replicas").asInt(0));
    String selector = Tables.selector(json);
    status.put("selector", selector.equals("<none>") ? "" : selector);
    return s;
  }

  /**
   * The parent's managers as the Scale shows them, as kube-apiserver's scale handler converts them: each
   * entry that owns the parent's {@code spec.replicas} owns the Scale's, in {@code autoscaling/v1}; the
   * other entries are left out.
   */
  static ArrayNode scaleManagedFields(JsonNode parentEntries) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (JsonNode e : parentEntries) {
      if (owned(e.path("fieldsV1")).contains(REPLICAS)) {
        ObjectNode c = ((ObjectNode) e).deepCopy();
        c.put("apiVersion", "autoscaling/v1");
        c.set("fieldsV1", FieldSet.of(REPLICAS).toFieldsV1());
        out.add(c);
      }
    }
    return out;
  }

  /** The fields of a managedFields entry; none when unreadable (written by another tool). */
  private static FieldSet owned(JsonNode fieldsV1) {
    try {
      return FieldSet.fromFieldsV1(fieldsV1.isMissingNode() ? null : fieldsV1);
    } catch (IllegalArgumentException e) {
      return FieldSet.EMPTY;
    }
  }

  static int replicas(RequestInfo ri, JsonNode scale) {
    JsonNode r = scale.path("spec").path("replicas");
    if (!r.isIntegralNumber() || r.asLong() < 0 || r.asLong() > Integer.MAX_VALUE) {
      throw new ApiException(Statuses.status(422, "Invalid", "Scale.autoscaling \"" + ri.name()
          + "\" is invalid: spec.replicas: Invalid value: " + r + ": must be greater than or equal to 0",
          ri.type(), ri.name(), "Scale", List.of(new Cause("FieldValueInvalid",
              "Invalid value: " + r + ": must be greater than or equal to 0", "spec.replicas"))));
    }
    return r.asInt();
  }

  /** A copy of {@code obj} with {@code spec.replicas} set. */
  static GenericRecord withReplicas(GenericRecord obj, int replicas) {
    GenericRecord copy = AvroPaths.copy(obj);
    GenericRecord spec = AvroPaths.recordOrCreate(copy, "spec");
    Schema t = AvroPaths.nonNull(spec.getSchema().getField("replicas").schema());
    spec.put("replicas", t.getType() == Schema.Type.LONG ? (Object) (long) replicas : (Object) replicas);
    Meta.set(copy, "resourceVersion", Meta.resourceVersion(obj));
    return copy;
  }
}
