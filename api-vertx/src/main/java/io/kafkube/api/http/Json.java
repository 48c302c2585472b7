package io.kafkube.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.api.view.RenderedObjects;
import io.kafkube.schemas.json.KubeJson;
import io.kafkube.schemas.resource.ResourceType;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/** Kubernetes JSON on the wire: objects, lists and {@code meta.v1.Status}. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();
  public static final String CONTENT_TYPE = "application/json";

  private Json() {}

  public static Buffer buffer(JsonNode n) {
    return Buffer.buffer(bytes(n));
  }

  private static byte[] bytes(JsonNode n) {
    try {
      return MAPPER.writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An object as Kubernetes JSON. */
  public static ObjectNode object(GenericRecord obj) {
    return KubeJson.toJson(obj);
  }

  /** A {@code meta.v1.Status} record as the JSON kubectl expects ({@code kind: Status}). */
  public static ObjectNode status(GenericRecord status) {
    ObjectNode body = KubeJson.toJson(status);
    ObjectNode out = MAPPER.createObjectNode();
    out.put("kind", "Status");
    out.put("apiVersion", "v1");
    out.putObject("metadata");
    body.remove("kind");
    body.remove("apiVersion");
    body.remove("metadata");
    out.setAll(body);
    return out;
  }

  /** The Success Status of a delete that removed the object, as kube-apiserver answers it. */
  public static ObjectNode deleted(ResourceType type, String name, String uid) {
    ObjectNode out = MAPPER.createObjectNode();
    out.put("kind", "Status");
    out.put("apiVersion", "v1");
    out.putObject("metadata");
    out.put("status", "Success");
    ObjectNode d = out.putObject("details");
    d.put("name", name);
    d.put("group", type.group());
    d.put("kind", type.plural());
    if (uid != null) {
      d.put("uid", uid);
    }
    return out;
  }

  /** A Success Status with a code (binding answers 201 with one). */
  public static ObjectNode success(int code) {
    ObjectNode out = MAPPER.createObjectNode();
    out.put("kind", "Status");
    out.put("apiVersion", "v1");
    out.putObject("metadata");
    out.put("status", "Success");
    out.put("code", code);
    return out;
  }

  /** An object as Kubernetes JSON, rendered now and not kept: a write's answer, seen once. */
  public static Buffer objectBuffer(GenericRecord obj) {
    return Buffer.buffer(KubeJson.toJsonBytes(obj));
  }

  /** The bytes of {@link #list} with these objects of the view as items, from their rendered JSON. */
  public static Buffer listBuffer(ResourceType type, List<GenericRecord> items, Map<String, Object> metadata) {
    byte[] empty = bytes(list(type, List.of(), metadata));
    // {"kind":…,"metadata":{…},"items":[]}: the items go between the last "[" and "]}"
    int open = empty.length - 2;
    if (empty[open - 1] != '[' || empty[open] != ']' || empty[open + 1] != '}') {
      throw new IllegalStateException("a list does not end with its items");
    }
    List<byte[]> rendered = new ArrayList<>(items.size());
    int size = empty.length + items.size();
    for (GenericRecord r : items) {
      byte[] b = RenderedObjects.json(r);
      rendered.add(b);
      size += b.length;
    }
    Buffer out = Buffer.buffer(size);
    out.appendBytes(empty, 0, open);
    for (int i = 0; i < rendered.size(); i++) {
      if (i > 0) {
        out.appendByte((byte) ',');
      }
      out.appendBytes(rendered.get(i));
    }
    return out.appendBytes(empty, open, 2);
  }

  /** A list ({@code PodList}) of already rendered items. */
  public static ObjectNode list(ResourceType type, Iterable<ObjectNode> items, Map<String, Object> metadata) {
    ObjectNode out = MAPPER.createObjectNode();
    out.put("kind", type.kind() + "List");
    out.put("apiVersion", type.apiVersion());
    ObjectNode md = out.putObject("metadata");
    metadata.forEach((k, v) -> {
      if (v instanceof Number n) {
        md.put(k, n.longValue());
      } else if (v != null) {
        md.put(k, v.toString());
      }
    });
    var arr = out.putArray("items");
    items.forEach(arr::add);
    return out;
  }
}
