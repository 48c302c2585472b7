package io.kafkube.api.proto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.kafkube.schemas.proto.ProtoCatalog;
import io.kafkube.schemas.resource.ResourceType;
import io.kubernetes.client.proto.Runtime;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes protobuf request bodies ({@code application/vnd.kubernetes.protobuf}): the magic
 * {@code k8s\0}, then a {@code runtime.Unknown} whose {@code raw} is the object's message. The
 * message is decoded with the descriptors of {@code client-java-proto} and walked into Kubernetes
 * JSON (Time as RFC 3339, IntOrString, Quantity and RawExtension in their JSON forms), so the
 * normal JSON path handles it from there.
 */
public final class ProtobufBodies {
  public static final String CONTENT_TYPE = "application/vnd.kubernetes.protobuf";
  private static final byte[] MAGIC = {'k', '8', 's', 0};
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter MICRO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private ProtobufBodies() {}

  /** The decoded object: its typeMeta and its Kubernetes JSON. */
  public record Decoded(String apiVersion, String kind, ObjectNode json) {}

  /**
   * Decodes a protobuf body of a kind.
   *
   * @throws IllegalArgumentException when the body is not a Kubernetes protobuf object of that kind
   */
  public static Decoded decode(byte[] body, ResourceType expected) {
    Descriptor d = ProtoCatalog.kubernetes().find(expected.protoName()).orElse(null);
    if (d == null) {
      throw new IllegalArgumentException("protobuf bodies are not supported for " + expected.groupResource());
    }
    return decode(body, d);
  }

  /**
   * Decodes a protobuf body whose message is {@code d}: how kinds that are not stored (TokenRequest,
   * SelfSubjectAccessReview, SelfSubjectRulesReview) are read.
   *
   * @throws IllegalArgumentException when the body is not a Kubernetes protobuf object of that message
   */
  public static Decoded decode(byte[] body, Descriptor d) {
    if (body.length < MAGIC.length || body[0] != MAGIC[0] || body[1] != MAGIC[1] || body[2] != MAGIC[2]
        || body[3] != MAGIC[3]) {
      throw new IllegalArgumentException("provided data does not appear to be a protobuf message, expected prefix "
          + "[107 56 115 0]");
    }
    Runtime.Unknown unknown;
    try {
      unknown = Runtime.Unknown.parseFrom(ByteString.copyFrom(body, MAGIC.length, body.length - MAGIC.length));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("cannot decode the protobuf envelope: " + e.getMessage(), e);
    }
    String apiVersion = unknown.getTypeMeta().getApiVersion();
    String kind = unknown.getTypeMeta().getKind();
    DynamicMessage m;
    try {
      m = DynamicMessage.parseFrom(d, unknown.getRaw());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("cannot decode the protobuf " + kind + ": " + e.getMessage(), e);
    }
    ObjectNode json = F.objectNode();
    if (!apiVersion.isEmpty()) {
      json.put("apiVersion", apiVersion);
    }
    if (!kind.isEmpty()) {
      json.put("kind", kind);
    }
    json.setAll(message(m));
    return new Decoded(apiVersion, kind, json);
  }

  private static ObjectNode message(Message m) {
    ObjectNode out = F.objectNode();
    for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
      FieldDescriptor f = e.getKey();
      Object v = e.getValue();
      if (f.isMapField()) {
        ObjectNode map = out.putObject(f.getName());
        for (Object entry : (List<?>) v) {
          Message em = (Message) entry;
          FieldDescriptor kf = em.getDescriptorForType().findFieldByName("key");
          FieldDescriptor vf = em.getDescriptorForType().findFieldByName("value");
          map.set(String.valueOf(em.getField(kf)), value(vf, em.getField(vf)));
        }
      } else if (f.isRepeated()) {
        ArrayNode a = out.putArray(f.getName());
        for (Object item : (List<?>) v) {
          a.add(value(f, item));
        }
      } else if (ProtoCatalog.isInline(f)) {
        out.setAll(message((Message) v)); // Go's json:",inline": the fields are the parent's
      } else {
        JsonNode value = value(f, v);
        if (!goZero(f, value)) {
          out.set(f.getName(), value);
        }
      }
    }
    return out;
  }

  /**
   * Go's protobuf marshalling writes every non-pointer field, also when it holds its zero value
   * ({@code generateName: ""}, {@code generation: 0}, a zero {@code creationTimestamp}); in
   * Kubernetes JSON those are omitted ({@code omitempty}). A zero scalar of a pointer field
   * ({@code replicas: 0}) cannot be told apart in the wire format and is dropped too; kubectl sends
   * protobuf for the objects of {@code kubectl create <kind>}, which have none that matter.
   */
  private static boolean goZero(FieldDescriptor f, JsonNode value) {
    if (value == null || value.isNull()) {
      return true;
    }
    return switch (f.getJavaType()) {
      case STRING -> value.asText().isEmpty();
      case INT, LONG, FLOAT, DOUBLE -> value.asDouble() == 0;
      case BOOLEAN -> !value.asBoolean();
      default -> false;
    };
  }

  private static JsonNode value(FieldDescriptor f, Object v) {
    return switch (f.getJavaType()) {
      case INT -> F.numberNode((Integer) v);
      case LONG -> F.numberNode((Long) v);
      case FLOAT -> F.numberNode((Float) v);
      case DOUBLE -> F.numberNode((Double) v);
      case BOOLEAN -> F.booleanNode((Boolean) v);
      case STRING -> F.textNode((String) v);
      case BYTE_STRING -> F.textNode(Base64.getEncoder().encodeToString(((ByteString) v).toByteArray()));
      case ENUM -> F.textNode(v.toString());
      case MESSAGE -> special((Message) v);
    };
  }

  private static JsonNode special(Message m) {
    Descriptor d = m.getDescriptorForType();
    switch (d.getFullName()) {
      case "k8s.io.apimachinery.pkg.apis.meta.v1.Time" -> {
        long seconds = (Long) m.getField(d.findFieldByName("seconds"));
        if (seconds == 0) {
          return F.nullNode(); // Go's zero time.Time marshals as null in JSON
        }
        return F.textNode(DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(seconds)));
      }
      case "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime" -> {
        long seconds = (Long) m.getField(d.findFieldByName("seconds"));
        int nanos = (Integer) m.getField(d.findFieldByName("nanos"));
        return F.textNode(MICRO.format(Instant.ofEpochSecond(seconds, nanos)));
      }
      case "k8s.io.apimachinery.pkg.util.intstr.IntOrString" -> {
        long type = (Long) m.getField(d.findFieldByName("type"));
        return type == 1 ? F.textNode((String) m.getField(d.findFieldByName("strVal")))
            : F.numberNode((Integer) m.getField(d.findFieldByName("intVal")));
      }
      case "k8s.io.apimachinery.pkg.api.resource.Quantity" -> {
        return F.textNode((String) m.getField(d.findFieldByName("string")));
      }
      case "k8s.io.apimachinery.pkg.runtime.RawExtension", "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1" -> {
        FieldDescriptor raw = d.findFieldByName("raw");
        if (raw == null) {
          raw = d.findFieldByName("Raw");
        }
        ByteString b = (ByteString) m.getField(raw);
        try {
          return b.isEmpty() ? F.objectNode() : JSON.readTree(b.toByteArray());
        } catch (IOException e) {
          throw new IllegalArgumentException("embedded raw JSON is not valid: " + e.getMessage(), e);
        }
      }
      default -> {
        return message(m);
      }
    }
  }
}
