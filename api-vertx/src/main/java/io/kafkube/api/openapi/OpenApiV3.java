package io.kafkube.api.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.api.discovery.Subresource;
import io.kafkube.api.patch.PatchMeta;
import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.avro.SchemaProps;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * OpenAPI v3 documents generated from the Avro schemas: {@code /openapi/v3} lists one document per
 * group-version; each has the paths of its resources (operations carrying
 * {@code x-kubernetes-group-version-kind} and the {@code fieldValidation}, {@code dryRun} and
 * {@code fieldManager} parameters, which is how kubectl learns it may send {@code fieldValidation=Strict})
 * and a component schema per Avro record (with Kubernetes' int-or-string, date-time, preserve-unknown
 * and patch strategy/merge key extensions, the latter from {@link PatchMeta}). Built once.
 */
public final class OpenApiV3 {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One document: its JSON bytes and content hash. */
  public record Document(byte[] json, String hash) {}

  private final Map<String, Document> byPath = new LinkedHashMap<>();
  private final byte[] root;

  public OpenApiV3(ResourceRegistry registry) {
    Map<String, List<ResourceType>> groups = new LinkedHashMap<>();
    for (ResourceType t : registry.all()) {
      groups.computeIfAbsent(t.group(), g -> new ArrayList<>()).add(t);
    }
    ObjectNode rootNode = F.objectNode();
    ObjectNode paths = rootNode.putObject("paths");
    for (Map.Entry<String, List<ResourceType>> e : groups.entrySet()) {
      String path = e.getKey().isEmpty() ? "api/v1" : "apis/" + e.getKey() + "/v1";
      Document d = serialize(document(e.getKey(), e.getValue()));
      byPath.put(path, d);
      paths.putObject(path).put("serverRelativeURL", "/openapi/v3/" + path + "?hash=" + d.hash());
    }
    this.root = serialize(rootNode).json();
  }

  /** {@code GET /openapi/v3}. */
  public byte[] root() {
    return root;
  }

  /** {@code GET /openapi/v3/<path>}, e.g. {@code apis/apps/v1}. */
  public Optional<Document> document(String path) {
    return Optional.ofNullable(byPath.get(path));
  }

  private static ObjectNode document(String group, List<ResourceType> types) {
    ObjectNode doc = F.objectNode();
    doc.put("openapi", "3.0.0");
    ObjectNode info = doc.putObject("info");
    info.put("title", "Kubernetes");
    info.put("version", "v1.32.0");
    ObjectNode paths = doc.putObject("paths");
    Map<String, ObjectNode> schemas = new TreeMap<>();
    String base = group.isEmpty() ? "/api/v1" : "/apis/" + group + "/v1";
    for (ResourceType t : types) {
      Schema s = KafkubeSchemas.kind(t);
      collect(s, schemas);
      String ref = ref(s.getFullName());
      String collection = base + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.plural();
      ObjectNode c = paths.putObject(collection);
      c.set("get", op(t, "list", ref, false));
      c.set("post", op(t, "post", ref, true));
      c.set("delete", op(t, "deletecollection", ref, false));
      params(c, t.namespaced(), false);
      ObjectNode item = paths.putObject(collection + "/{name}");
      item.set("get", op(t, "get", ref, false));
      item.set("put", op(t, "put", ref, true));
      item.set("patch", op(t, "patch", ref, true));
      item.set("delete", op(t, "delete", ref, false));
      params(item, t.namespaced(), true);
      if (t.namespaced()) {
        ObjectNode all = paths.putObject(base + "/" + t.plural());
        all.set("get", op(t, "list", ref, false));
      }
      for (Subresource sub : Subresource.of(t)) {
        if (sub == Subresource.STATUS) {
          ObjectNode st = paths.putObject(collection + "/{name}/status");
          st.set("get", op(t, "get", ref, false));
          st.set("put", op(t, "put", ref, true));
          st.set("patch", op(t, "patch", ref, true));
          params(st, t.namespaced(), true);
        }
      }
    }
    ObjectNode components = doc.putObject("components");
    ObjectNode out = components.putObject("schemas");
    schemas.forEach(out::set);
    return doc;
  }

  private static ObjectNode op(ResourceType t, String action, String ref, boolean writes) {
    ObjectNode o = F.objectNode();
    o.put("operationId", action + t.kind());
    o.put("x-kubernetes-action", action);
    ObjectNode gvk = o.putObject("x-kubernetes-group-version-kind");
    gvk.put("group", t.group());
    gvk.put("version", t.version());
    gvk.put("kind", t.kind());
    ArrayNode p = o.putArray("parameters");
    if (writes) {
      query(p, "dryRun");
      query(p, "fieldManager");
      query(p, "fieldValidation");
    }
    if (action.equals("list")) {
      query(p, "labelSelector");
      query(p, "fieldSelector");
      query(p, "limit");
      query(p, "continue");
      query(p, "resourceVersion");
      query(p, "watch");
    }
    if (writes) {
      ObjectNode body = o.putObject("requestBody");
      body.put("required", true);
      body.putObject("content").putObject("*/*").putObject("schema").put("$ref", ref);
    }
    ObjectNode ok = o.putObject("responses").putObject("200");
    ok.put("description", "OK");
    ok.putObject("content").putObject("application/json").putObject("schema").put("$ref", ref);
    return o;
  }

  private static void query(ArrayNode params, String name) {
    ObjectNode q = params.addObject();
    q.put("name", name);
    q.put("in", "query");
    q.put("description", name);
    q.putObject("schema").put("type", "string");
    q.put("uniqueItems", true);
  }

  private static void params(ObjectNode path, boolean namespaced, boolean named) {
    ArrayNode p = path.putArray("parameters");
    if (named) {
      path(p, "name");
    }
    if (namespaced) {
      path(p, "namespace");
    }
  }

  private static void path(ArrayNode params, String name) {
    ObjectNode q = params.addObject();
    q.put("name", name);
    q.put("in", "path");
    q.put("required", true);
    q.putObject("schema").put("type", "string");
  }

  private static String ref(String fullName) {
    return "#/components/schemas/" + fullName;
  }

  /** Adds the schema of {@code record} and every record it references. */
  private static void collect(Schema record, Map<String, ObjectNode> out) {
    if (out.containsKey(record.getFullName())) {
      return;
    }
    ObjectNode s = F.objectNode();
    out.put(record.getFullName(), s);
    s.put("type", "object");
    if (record.getDoc() != null) {
      s.put("description", record.getDoc());
    }
    ObjectNode props = s.putObject("properties");
    String kind = record.getProp(SchemaProps.KIND);
    if (kind != null) {
      props.putObject("apiVersion").put("type", "string").put("description",
          "APIVersion defines the versioned schema of this representation of an object.");
      props.putObject("kind").put("type", "string").put("description",
          "Kind is a string value representing the REST resource this object represents.");
      String apiVersion = record.getProp(SchemaProps.API_VERSION);
      int slash = apiVersion == null ? -1 : apiVersion.indexOf('/');
      ObjectNode gvk = s.putArray("x-kubernetes-group-version-kind").addObject();
      gvk.put("group", slash < 0 ? "" : apiVersion.substring(0, slash));
      gvk.put("kind", kind);
      gvk.put("version", slash < 0 ? String.valueOf(apiVersion) : apiVersion.substring(slash + 1));
    }
    for (Schema.Field f : record.getFields()) {
      ObjectNode p = property(f.schema(), out);
      if (f.doc() != null) {
        p.put("description", f.doc());
      }
      PatchMeta.of(record.getFullName(), f.name()).ifPresent(m -> {
        p.put("x-kubernetes-patch-strategy", m.strategy());
        if (m.mergeKey() != null) {
          p.put("x-kubernetes-patch-merge-key", m.mergeKey());
        }
      });
      props.set(f.name(), p);
    }
  }

  private static ObjectNode property(Schema schema, Map<String, ObjectNode> out) {
    ObjectNode p = F.objectNode();
    if (schema.getType() == Schema.Type.UNION) {
      List<Schema> nonNull = schema.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).toList();
      if (nonNull.size() == 1) {
        return property(nonNull.get(0), out);
      }
      p.put("x-kubernetes-int-or-string", true);
      return p;
    }
    String k8s = schema.getProp(SchemaProps.TYPE);
    if (k8s != null) {
      switch (k8s) {
        case SchemaProps.QUANTITY, SchemaProps.INT_OR_STRING -> {
          p.put("x-kubernetes-int-or-string", true);
          return p;
        }
        case SchemaProps.TIME, SchemaProps.MICRO_TIME -> {
          p.put("type", "string");
          p.put("format", "date-time");
          return p;
        }
        case SchemaProps.JSON -> {
          p.put("type", "object");
          p.put("x-kubernetes-preserve-unknown-fields", true);
          return p;
        }
        default -> { }
      }
    }
    switch (schema.getType()) {
      case RECORD -> {
        collect(schema, out);
        p.putArray("allOf").addObject().put("$ref", ref(schema.getFullName()));
      }
      case ARRAY -> {
        p.put("type", "array");
        p.set("items", property(schema.getElementType(), out));
      }
      case MAP -> {
        p.put("type", "object");
        p.set("additionalProperties", property(schema.getValueType(), out));
      }
      case ENUM -> {
        p.put("type", "string");
        ArrayNode e = p.putArray("enum");
        schema.getEnumSymbols().forEach(e::add);
      }
      case INT -> p.put("type", "integer").put("format", "int32");
      case LONG -> p.put("type", "integer").put("format", "int64");
      case FLOAT, DOUBLE -> p.put("type", "number").put("format", "double");
      case BOOLEAN -> p.put("type", "boolean");
      case BYTES, FIXED -> p.put("type", "string").put("format", "byte");
      default -> p.put("type", "string");
    }
    return p;
  }

  private static Document serialize(ObjectNode n) {
    try {
      byte[] b = JSON.writeValueAsBytes(n);
      MessageDigest md = MessageDigest.getInstance("SHA-512");
      String hash = HexFormat.of().withUpperCase().formatHex(md.digest(b)).substring(0, 128);
      return new Document(b, hash);
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
