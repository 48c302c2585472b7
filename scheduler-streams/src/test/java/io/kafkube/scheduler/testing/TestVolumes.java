package io.kafkube.scheduler.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.json.Conversion;
import io.kafkube.schemas.json.KubeJson;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import org.apache.avro.generic.GenericRecord;

/** PersistentVolume and PersistentVolumeClaim objects for tests. */
public final class TestVolumes {
  public static final ResourceType PVS = ResourceRegistry.kubernetes().byGroupResource("persistentvolumes").orElseThrow();
  public static final ResourceType PVCS =
      ResourceRegistry.kubernetes().byGroupResource("persistentvolumeclaims").orElseThrow();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private TestVolumes() {}

  /** A local volume of {@code size} in class {@code cls} on {@code node} (null: no node affinity), RWO. */
  public static GenericRecord localVolume(String name, String cls, String size, String node) {
    ObjectNode root = F.objectNode();
    root.put("apiVersion", "v1");
    root.put("kind", "PersistentVolume");
    ObjectNode meta = root.putObject("metadata");
    meta.put("name", name);
    meta.put("uid", "pv-uid-" + name);
    meta.put("resourceVersion", "5");
    ObjectNode spec = root.putObject("spec");
    spec.putObject("capacity").put("storage", size);
    spec.putArray("accessModes").add("ReadWriteOnce");
    spec.put("storageClassName", cls);
    spec.putObject("local").put("path", "/mnt/" + name);
    if (node != null) {
      ObjectNode expr = spec.putObject("nodeAffinity").putObject("required").putArray("nodeSelectorTerms").addObject()
          .putArray("matchExpressions").addObject();
      expr.put("key", "kubernetes.io/hostname");
      expr.put("operator", "In");
      ((ArrayNode) expr.putArray("values")).add(node);
    }
    return avro(root, PVS);
  }

  /** The same volume, bound to a claim. */
  public static GenericRecord boundVolume(String name, String cls, String size, String node, String claimNs,
      String claim) {
    GenericRecord pv = localVolume(name, cls, size, node);
    GenericRecord ref = io.kafkube.schemas.meta.AvroPaths.recordOrCreate(
        io.kafkube.schemas.meta.AvroPaths.record(pv, "spec"), "claimRef");
    ref.put("namespace", claimNs);
    ref.put("name", claim);
    return pv;
  }

  /** A claim for {@code size} in class {@code cls}, RWO; bound to {@code volume} unless null. */
  public static GenericRecord claim(String name, String cls, String size, String volume) {
    ObjectNode root = F.objectNode();
    root.put("apiVersion", "v1");
    root.put("kind", "PersistentVolumeClaim");
    ObjectNode meta = root.putObject("metadata");
    meta.put("name", name);
    meta.put("namespace", "default");
    meta.put("uid", "pvc-uid-" + name);
    meta.put("resourceVersion", "6");
    ObjectNode spec = root.putObject("spec");
    spec.putArray("accessModes").add("ReadWriteOnce");
    spec.put("storageClassName", cls);
    spec.putObject("resources").putObject("requests").put("storage", size);
    if (volume != null) {
      spec.put("volumeName", volume);
    }
    return avro(root, PVCS);
  }

  public static String volumeKey(String name) {
    return PVS.key(null, name).toString();
  }

  public static String claimKey(String name) {
    return PVCS.key("default", name).toString();
  }

  private static GenericRecord avro(ObjectNode json, ResourceType type) {
    Conversion c = KubeJson.toAvro(json, KafkubeSchemas.kind(type));
    if (!c.clean()) {
      throw new IllegalStateException("bad test object: " + c.problems());
    }
    return c.record();
  }
}
