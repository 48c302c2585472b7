package io.kafkube.scheduler.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.json.Conversion;
import io.kafkube.schemas.json.KubeJson;
import io.kafkube.schemas.resource.ResourceRegistry;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/** Services and controllers, as JSON for the driver or as records for the scheduler's views. */
public final class TestWorkloads {
  private TestWorkloads() {}

  /** A Service in {@code ns} with {@code spec.selector} (null: none). */
  public static ObjectNode serviceJson(String ns, String name, Map<String, String> selector) {
    ObjectNode svc = JsonNodeFactory.instance.objectNode();
    svc.putObject("metadata").put("name", name).put("namespace", ns);
    ObjectNode spec = svc.putObject("spec");
    spec.putArray("ports").addObject().put("port", 80);
    if (selector != null) {
      selector.forEach(spec.putObject("selector")::put);
    }
    return svc;
  }

  /** A ReplicaSet or StatefulSet ({@code kind}) in {@code ns} with a selector of these requirements. */
  public static ObjectNode controllerJson(String ns, String name, String... selector) {
    ObjectNode c = JsonNodeFactory.instance.objectNode();
    c.putObject("metadata").put("name", name).put("namespace", ns);
    TestPods.Builder.selector(c.putObject("spec"), "selector", selector);
    return c;
  }

  public static GenericRecord record(String groupResource, ObjectNode json) {
    var type = ResourceRegistry.kubernetes().byGroupResource(groupResource).orElseThrow();
    json.put("apiVersion", type.apiVersion());
    json.put("kind", type.kind());
    Conversion c = KubeJson.toAvro(json, KafkubeSchemas.kind(type));
    if (!c.clean()) {
      throw new IllegalStateException("bad test " + type.kind() + ": " + c.problems());
    }
    return c.record();
  }
}
