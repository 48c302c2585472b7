package io.kafkube.schemas.status;

import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.meta.AvroPaths;
import io.kafkube.schemas.resource.ResourceType;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Builds {@code meta.v1.Status} failure records with Kubernetes' reasons, codes and messages, the
 * way kube-apiserver words them (kubectl prints these texts as they are).
 */
public final class Statuses {
  private Statuses() {}

  /** {@code pods "nope" not found}. */
  public static GenericRecord notFound(ResourceType type, String name) {
    return status(404, "NotFound", type.groupResource() + " \"" + name + "\" not found",
        type, name, type.plural(), List.of());
  }

  /** {@code namespaces "default" already exists}. */
  public static GenericRecord alreadyExists(ResourceType type, String name) {
    return status(409, "AlreadyExists", type.groupResource() + " \"" + name + "\" already exists",
        type, name, type.plural(), List.of());
  }

  /** {@code Operation cannot be fulfilled on deployments.apps "nginx": <detail>}. */
  public static GenericRecord conflict(ResourceType type, String name, String detail) {
    return status(409, "Conflict",
        "Operation cannot be fulfilled on " + type.groupResource() + " \"" + name + "\": " + detail,
        type, name, type.plural(), List.of());
  }

  /** The stale-resourceVersion conflict kubectl users know. */
  public static GenericRecord modified(ResourceType type, String name) {
    return conflict(type, name,
        "the object has been modified; please apply your changes to the latest version and try again");
  }

  /** {@code The Deployment "bad" is invalid: spec.replicas: Invalid value: -1: ...}. */
  public static GenericRecord invalid(ResourceType type, String name, List<Cause> causes) {
    String what = "The " + type.kind() + " \"" + name + "\" is invalid: ";
    String list;
    if (causes.size() == 1) {
      list = causes.get(0).text();
    } else {
      List<String> texts = new ArrayList<>();
      for (Cause c : causes) {
        texts.add(c.text());
      }
      list = "[" + String.join(", ", texts) + "]";
    }
    return status(422, "Invalid", what + list, type, name, type.kind(), causes);
  }

  /** 413, for objects over the size limit. */
  public static GenericRecord tooLarge(ResourceType type, String name, long size, long limit) {
    return status(413, "RequestEntityTooLarge",
        "Request entity too large: " + type.groupResource() + " \"" + name + "\" is " + size
            + " bytes, the limit is " + limit + " bytes",
        type, name, type.plural(), List.of());
  }

  public static GenericRecord badRequest(String message) {
    return status(400, "BadRequest", message, null, null, null, List.of());
  }

  public static GenericRecord internalError(String message) {
    return status(500, "InternalError", "Internal error occurred: " + message, null, null, null, List.of());
  }

  /** A Status with any code and reason; {@code type} may be null for requests with no object. */
  public static GenericRecord status(int code, String reason, String message, ResourceType type,
      String name, String detailsKind, List<Cause> causes) {
    Schema schema = KafkubeSchemas.status();
    GenericRecord s = new GenericData.Record(schema);
    s.put("status", "Failure");
    s.put("message", message);
    s.put("reason", reason);
    s.put("code", code);
    if (type != null || !causes.isEmpty()) {
      GenericRecord d = AvroPaths.recordOrCreate(s, "details");
      if (name != null) {
        d.put("name", name);
      }
      if (type != null) {
        d.put("group", type.group());
        d.put("kind", detailsKind);
      }
      if (!causes.isEmpty()) {
        Schema causesSchema = AvroPaths.nonNull(d.getSchema().getField("causes").schema());
        Schema causeSchema = AvroPaths.nonNull(causesSchema.getElementType());
        GenericData.Array<GenericRecord> arr = new GenericData.Array<>(causes.size(), causesSchema);
        for (Cause c : causes) {
          GenericRecord cr = new GenericData.Record(causeSchema);
          cr.put("reason", c.reason());
          cr.put("message", c.message());
          cr.put("field", c.field());
          arr.add(cr);
        }
        d.put("causes", arr);
      }
    }
    return s;
  }
}
