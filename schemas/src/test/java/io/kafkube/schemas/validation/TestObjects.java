package io.kafkube.schemas.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.json.Conversion;
import io.kafkube.schemas.json.KubeJson;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.generic.GenericRecord;

/** Builds kind records from YAML (through the project's converter) and runs the validator. */
final class TestObjects {
  private TestObjects() {}

  static ResourceType type(String kind) {
    return ResourceRegistry.kubernetes().all().stream().filter(t -> t.kind().equals(kind)).findFirst()
        .orElseThrow();
  }

  /** Decodes a YAML manifest of {@code kind}; the manifest must convert cleanly. */
  static GenericRecord decode(String kind, String yaml) {
    Conversion c = KubeJson.decode(yaml.getBytes(StandardCharsets.UTF_8), KafkubeSchemas.kind(type(kind)));
    assertThat(c.problems()).as("conversion problems").isEmpty();
    return c.record();
  }

  /** Decoded and defaulted, as the API server validates it. */
  static GenericRecord defaulted(String kind, String yaml) {
    GenericRecord r = decode(kind, yaml);
    Defaulter.applyDefaults(type(kind), r);
    return r;
  }

  static List<String> messages(List<FieldError> errors) {
    return errors.stream().map(FieldError::message).toList();
  }

  static List<String> create(String kind, String yaml) {
    return messages(ObjectValidator.validateCreate(type(kind), defaulted(kind, yaml)));
  }

  static List<String> create(String kind, GenericRecord obj) {
    return messages(ObjectValidator.validateCreate(type(kind), obj));
  }

  static List<String> update(String kind, String yaml, String oldYaml) {
    return messages(ObjectValidator.validateUpdate(type(kind), defaulted(kind, yaml), defaulted(kind, oldYaml)));
  }

  /** A minimal valid pod manifest with the given extra spec lines (indented 2). */
  static String pod(String specExtra, String containerExtra) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: default}
        spec:
          containers:
          - name: app
            image: nginx:1.27
        """ + indent(containerExtra, 4) + indent(specExtra, 2);
  }

  static String indent(String s, int n) {
    if (s == null || s.isEmpty()) {
      return "";
    }
    String pad = " ".repeat(n);
    StringBuilder sb = new StringBuilder();
    for (String line : s.split("\n")) {
      sb.append(pad).append(line).append('\n');
    }
    return sb.toString();
  }
}
