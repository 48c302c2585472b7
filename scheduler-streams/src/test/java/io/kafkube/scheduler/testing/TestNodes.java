package io.kafkube.scheduler.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.scheduler.framework.NodeInfo;
import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.json.Conversion;
import io.kafkube.schemas.json.KubeJson;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import org.apache.avro.generic.GenericRecord;

/**
 * Node builder for tests: {@code node("n1").cpu("4").memory("8Gi").taint(…).obj()}; 110 pods allocatable,
 * label {@code kubernetes.io/hostname} = name.
 */
public final class TestNodes {
  public static final ResourceType NODES = ResourceRegistry.kubernetes().byGroupResource("nodes").orElseThrow();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private TestNodes() {}

  public static Builder node(String name) {
    return new Builder(name);
  }

  public static final class Builder {
    private final ObjectNode root = F.objectNode();
    private final ObjectNode meta = root.putObject("metadata");
    private final ObjectNode spec = root.putObject("spec");
    private final ObjectNode allocatable;

    private Builder(String name) {
      root.put("apiVersion", "v1");
      root.put("kind", "Node");
      meta.put("name", name);
      meta.put("uid", "node-uid-" + name);
      meta.with("labels").put("kubernetes.io/hostname", name); // as the kubelet registers it
      allocatable = root.putObject("status").putObject("allocatable");
      allocatable.put("pods", "110");
    }

    public String name() {
      return meta.get("name").asText();
    }

    public String key() {
      return NODES.key(null, name()).toString();
    }

    public Builder cpu(String q) {
      return allocatable("cpu", q);
    }

    public Builder memory(String q) {
      return allocatable("memory", q);
    }

    public Builder pods(int n) {
      return allocatable("pods", Integer.toString(n));
    }

    public Builder allocatable(String resource, String q) {
      allocatable.put(resource, q);
      return this;
    }

    public Builder label(String k, String v) {
      meta.with("labels").put(k, v);
      return this;
    }

    public Builder taint(String key, String value, String effect) {
      ArrayNode t = spec.has("taints") ? (ArrayNode) spec.get("taints") : spec.putArray("taints");
      ObjectNode o = t.addObject();
      o.put("key", key);
      if (value != null) {
        o.put("value", value);
      }
      o.put("effect", effect);
      return this;
    }

    public Builder unschedulable() {
      spec.put("unschedulable", true);
      return this;
    }

    public Builder ready(boolean ready) {
      ArrayNode conds = ((ObjectNode) root.get("status")).putArray("conditions");
      ObjectNode c = conds.addObject();
      c.put("type", "Ready");
      c.put("status", ready ? "True" : "False");
      return this;
    }

    public GenericRecord obj() {
      Conversion c = KubeJson.toAvro(root, KafkubeSchemas.kind(NODES));
      if (!c.clean()) {
        throw new IllegalStateException("bad test node: " + c.problems());
      }
      return c.record();
    }

    public NodeInfo info() {
      return NodeInfo.of(name(), obj());
    }
  }
}
