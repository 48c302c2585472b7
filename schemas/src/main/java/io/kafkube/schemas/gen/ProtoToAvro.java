package io.kafkube.schemas.gen;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.kafkube.schemas.avro.SchemaProps;
import io.kafkube.schemas.proto.ProtoCatalog;
import io.kafkube.schemas.resource.AvroNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * Maps protobuf message descriptors of k8s.io/api to Avro record schemas whose field names and
 * nesting are those of Kubernetes JSON. Every field is optional ({@code ["null", T]}, default
 * null) so that an absent field stays distinguishable from an empty one.
 *
 * <p>Not thread-safe; one instance per generation run. Records are created once per message and
 * shared, so recursive messages become Avro named-type references.
 */
final class ProtoToAvro {
  /** Go {@code json:",inline"} fields, flattened into the parent record: see {@link ProtoCatalog#INLINE_FIELDS}. */
  static final Set<String> INLINE_FIELDS = ProtoCatalog.INLINE_FIELDS;

  /**
   * Proto field names are the Go JSON names, which are lowerCamelCase everywhere in the served
   * groups except these (checked: the generator fails on any other name that is not lowerCamel).
   * {@code DaemonEndpoint.Port} really is {@code "Port"} in Kubernetes JSON
   * ({@code status.daemonEndpoints.kubeletEndpoint.Port}).
   */
  static final Set<String> JSON_NAME_EXCEPTIONS = Set.of("k8s.io.api.core.v1.DaemonEndpoint.Port");

  /**
   * Proto fields whose name is not the JSON name: go-to-protobuf lower-cased only the first letter
   * of the Go field name ({@code APIGroup} → {@code aPIGroup}) where the JSON tag says
   * {@code apiGroup}. The generator fails on any other name starting lower-upper.
   */
  static final Map<String, String> JSON_NAMES = Map.of(
      "k8s.io.api.networking.v1.IngressClassParametersReference.aPIGroup", "apiGroup");

  private static final Pattern LOWER_CAMEL = Pattern.compile("[a-z][A-Za-z0-9]*");
  private static final Pattern GO_INITIALISM = Pattern.compile("[a-z][A-Z].*");

  static final String QUANTITY = "k8s.io.apimachinery.pkg.api.resource.Quantity";
  static final String INT_OR_STRING = "k8s.io.apimachinery.pkg.util.intstr.IntOrString";
  static final String TIME = "k8s.io.apimachinery.pkg.apis.meta.v1.Time";
  static final String MICRO_TIME = "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime";
  static final String DURATION = "k8s.io.apimachinery.pkg.apis.meta.v1.Duration";
  static final String RAW_EXTENSION = "k8s.io.apimachinery.pkg.runtime.RawExtension";
  static final String FIELDS_V1 = "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1";
  static final String APIEXTENSIONS_JSON = "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSON";

  private final Map<String, Schema> records = new HashMap<>();
  private final Set<String> inlineUsed = new HashSet<>();

  /** The record of a message (created on first use, then the same instance). */
  Schema record(Descriptor message) {
    Schema existing = records.get(message.getFullName());
    if (existing != null) {
      return existing;
    }
    Schema record = Schema.createRecord(AvroNames.fromProto(message.getFullName()), null, null, false);
    records.put(message.getFullName(), record); // before the fields: recursion resolves to it
    List<Schema.Field> fields = new ArrayList<>();
    addFields(message, fields, new HashSet<>());
    record.setFields(fields);
    return record;
  }

  /** Inline fields of all processed messages that were actually flattened. */
  Set<String> inlineFieldsUsed() {
    return Set.copyOf(inlineUsed);
  }

  int recordCount() {
    return records.size();
  }

  private void addFields(Descriptor message, List<Schema.Field> out, Set<String> names) {
    for (FieldDescriptor f : message.getFields()) {
      String key = message.getFullName() + "." + f.getName();
      if (INLINE_FIELDS.contains(key)) {
        if (f.getJavaType() != FieldDescriptor.JavaType.MESSAGE || f.isRepeated()) {
          throw new IllegalStateException("inline field " + key + " is not a singular message");
        }
        inlineUsed.add(key);
        addFields(f.getMessageType(), out, names);
        continue;
      }
      String name = JSON_NAMES.getOrDefault(key, f.getName());
      if (!JSON_NAMES.containsKey(key) && (!f.getName().equals(f.getJsonName())
          || GO_INITIALISM.matcher(name).matches()
          || !LOWER_CAMEL.matcher(name).matches() && !JSON_NAME_EXCEPTIONS.contains(key))) {
        throw new IllegalStateException("proto field " + key + " (JSON name " + f.getJsonName()
            + ") may not be the Kubernetes JSON name: review it and add it to JSON_NAMES or JSON_NAME_EXCEPTIONS");
      }
      if (!names.add(name)) {
        throw new IllegalStateException("field " + name + " appears twice in "
            + message.getFullName() + " after flattening inline fields");
      }
      out.add(new Schema.Field(name, optional(fieldType(f)), null, Schema.Field.NULL_DEFAULT_VALUE));
    }
  }

  private Schema fieldType(FieldDescriptor f) {
    if (f.isMapField()) {
      FieldDescriptor key = f.getMessageType().findFieldByName("key");
      if (key.getJavaType() != FieldDescriptor.JavaType.STRING) {
        throw new IllegalStateException("map " + f.getFullName() + " has non-string keys");
      }
      Schema map = Schema.createMap(valueType(f.getMessageType().findFieldByName("value")));
      GenericData.setStringType(map, GenericData.StringType.String); // map keys as java.lang.String
      return map;
    }
    if (f.isRepeated()) {
      return Schema.createArray(valueType(f));
    }
    return valueType(f);
  }

  /** The schema of one value of the field (array item / map value for repeated and maps). */
  private Schema valueType(FieldDescriptor f) {
    return switch (f.getJavaType()) {
      case INT -> Schema.create(Schema.Type.INT);
      case LONG -> Schema.create(Schema.Type.LONG);
      case BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
      case DOUBLE -> Schema.create(Schema.Type.DOUBLE);
      case FLOAT -> Schema.create(Schema.Type.FLOAT);
      case STRING -> string();
      case BYTE_STRING -> Schema.create(Schema.Type.BYTES);
      case ENUM -> throw new IllegalStateException("enum field " + f.getFullName()
          + ": Kubernetes protos have no enums, the mapping needs a review");
      case MESSAGE -> messageType(f.getMessageType());
    };
  }

  private Schema messageType(Descriptor m) {
    return switch (m.getFullName()) {
      case QUANTITY -> tagged(string(), SchemaProps.QUANTITY);
      case INT_OR_STRING -> Schema.createUnion(
          Schema.create(Schema.Type.INT), tagged(string(), SchemaProps.INT_OR_STRING));
      case TIME -> tagged(LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG)),
          SchemaProps.TIME);
      case MICRO_TIME -> tagged(LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG)),
          SchemaProps.MICRO_TIME);
      case DURATION -> tagged(string(), SchemaProps.DURATION);
      case RAW_EXTENSION, FIELDS_V1, APIEXTENSIONS_JSON -> tagged(string(), SchemaProps.JSON);
      default -> record(m);
    };
  }

  /** {@code ["null", T]}; for a union T, null is prepended to its branches. */
  static Schema optional(Schema type) {
    List<Schema> branches = new ArrayList<>();
    branches.add(Schema.create(Schema.Type.NULL));
    if (type.getType() == Schema.Type.UNION) {
      branches.addAll(type.getTypes());
    } else {
      branches.add(type);
    }
    return Schema.createUnion(branches);
  }

  /** A string read back as {@code java.lang.String} by generic readers. */
  static Schema string() {
    Schema s = Schema.create(Schema.Type.STRING);
    GenericData.setStringType(s, GenericData.StringType.String);
    return s;
  }

  private static Schema tagged(Schema s, String k8sType) {
    s.addProp(SchemaProps.TYPE, k8sType);
    return s;
  }
}
