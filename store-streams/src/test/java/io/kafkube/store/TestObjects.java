package io.kafkube.store;

import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.envelope.Envelopes;
import io.kafkube.schemas.envelope.Op;
import io.kafkube.schemas.envelope.User;
import io.kafkube.schemas.meta.AvroPaths;
import io.kafkube.schemas.meta.Meta;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Builders of kind records and commands for the store's tests. */
public final class TestObjects {
  public static final ResourceRegistry REGISTRY = ResourceRegistry.kubernetes();
  public static final ResourceType PODS = type("pods");
  public static final ResourceType CONFIGMAPS = type("configmaps");
  public static final ResourceType DEPLOYMENTS = type("deployments.apps");
  public static final ResourceType NAMESPACES = type("namespaces");
  public static final User ALICE = new User("alice", List.of("system:authenticated"), null);

  private TestObjects() {}

  public static ResourceType type(String groupResource) {
    return REGISTRY.byGroupResource(groupResource).orElseThrow();
  }

  public static GenericRecord object(ResourceType t, String ns, String name) {
    GenericRecord r = new GenericData.Record(KafkubeSchemas.kind(t));
    Meta.set(r, "name", name);
    if (t.namespaced()) {
      Meta.set(r, "namespace", ns);
    }
    return r;
  }

  public static GenericRecord pod(String ns, String name, String image) {
    GenericRecord pod = object(PODS, ns, name);
    GenericRecord spec = AvroPaths.recordOrCreate(pod, "spec");
    Schema containers = AvroPaths.nonNull(spec.getSchema().getField("containers").schema());
    GenericRecord c = new GenericData.Record(AvroPaths.nonNull(containers.getElementType()));
    c.put("name", "main");
    c.put("image", image);
    spec.put("containers", new GenericData.Array<>(containers, List.of(c)));
    return pod;
  }

  public static GenericRecord configMap(String ns, String name, Map<String, String> data) {
    GenericRecord cm = object(CONFIGMAPS, ns, name);
    cm.put("data", data);
    return cm;
  }

  public static void setLabels(GenericRecord obj, Map<String, String> labels) {
    Meta.set(obj, "labels", labels);
  }

  public static void setFinalizers(GenericRecord obj, List<String> finalizers) {
    Schema s = AvroPaths.nonNull(Meta.metadataOrCreate(obj).getSchema().getField("finalizers").schema());
    Meta.set(obj, "finalizers", new GenericData.Array<>(s, finalizers));
  }

  public static String key(ResourceType t, String ns, String name) {
    return t.key(ns, name).toString();
  }

  public static Envelopes.CommandBuilder command(Op op, ResourceType t, String ns, String name, String requestId) {
    return Envelopes.command(op, key(t, ns, name), t.groupResource(), ALICE, requestId);
  }
}
