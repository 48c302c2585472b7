package io.kafkube.schemas.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.json.FieldProblem.Type;
import io.kafkube.schemas.resource.ResourceRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

class KubeJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ResourceRegistry REGISTRY = ResourceRegistry.kubernetes();
  private static final Schema POD = schema("pods");
  private static final Schema DEPLOYMENT = schema("deployments.apps");

  private static Schema schema(String groupResource) {
    return KafkubeSchemas.kind(REGISTRY.byGroupResource(groupResource).orElseThrow());
  }

  private static Conversion decode(String yaml, Schema schema) {
    return KubeJson.decode(yaml.getBytes(StandardCharsets.UTF_8), schema);
  }

  private static GenericRecord at(GenericRecord r, String... path) {
    GenericRecord cur = r;
    for (String p : path) {
      cur = (GenericRecord) cur.get(p);
    }
    return cur;
  }

  private static List<String> keys(Object map) {
    return ((Map<?, ?>) map).keySet().stream().map(Object::toString).sorted().toList();
  }

  @Test
  void unknownFieldsAreDroppedAndReportedWithTheirKubernetesPath() {
    Conversion c = decode("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, labelz: {a: b}}
        spec:
          replicas: 2
          foo: 1
          template:
            spec:
              containers:
              - name: web
                image: nginx
              - name: side
                imagePullPolicyy: Always
        """, DEPLOYMENT);

    assertThat(c.problems()).containsExactly(
        new FieldProblem("metadata.labelz", Type.UNKNOWN_FIELD, "unknown field \"metadata.labelz\""),
        new FieldProblem("spec.foo", Type.UNKNOWN_FIELD, "unknown field \"spec.foo\""),
        new FieldProblem("spec.template.spec.containers[1].imagePullPolicyy", Type.UNKNOWN_FIELD,
            "unknown field \"spec.template.spec.containers[1].imagePullPolicyy\""));
    assertThat(at(c.record(), "spec").get("replicas")).isEqualTo(2);
    assertThat(KubeJson.toJson(c.record()).at("/spec/template/spec/containers/1"))
        .isEqualTo(MAPPER.createObjectNode().put("name", "side"));
  }

  @Test
  void everyDuplicateKeyIsReportedWithItsPathAndTheLastValueWins() {
    Conversion c = decode("""
        {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": "a", "labels": {"app": "x", "app": "y"}, "name": "b"},
         "spec": {"containers": [{"name": "c", "image": "i", "image": "j"}]}}
        """, POD);

    assertThat(c.problems()).extracting(FieldProblem::path, FieldProblem::type).containsExactly(
        org.assertj.core.groups.Tuple.tuple("metadata.labels.app", Type.DUPLICATE_FIELD),
        org.assertj.core.groups.Tuple.tuple("metadata.name", Type.DUPLICATE_FIELD),
        org.assertj.core.groups.Tuple.tuple("spec.containers[0].image", Type.DUPLICATE_FIELD));
    assertThat(c.problems().get(1).message()).isEqualTo("duplicate field \"metadata.name\"");
    assertThat(at(c.record(), "metadata").get("name")).isEqualTo("b");
    assertThat(KubeJson.toJson(c.record()).at("/spec/containers/0/image").asText()).isEqualTo("j");
  }

  @Test
  void duplicatesAreFoundInYamlToo() {
    ParsedDocument doc = KubeJson.parse("""
        metadata:
          name: a
          name: b
        """.getBytes(StandardCharsets.UTF_8));
    assertThat(doc.problems()).containsExactly(
        new FieldProblem("metadata.name", Type.DUPLICATE_FIELD, "duplicate field \"metadata.name\""));
  }

  @Test
  void typeMismatchesAreReportedAndLeftAbsent() {
    Conversion c = decode("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: 5
          labels: {app: web, tier: [a]}
        spec:
          replicas: abc
          paused: "yes"
          minReadySeconds: 3000000000
          strategy: {rollingUpdate: {maxSurge: true}}
          template: {spec: {containers: web}}
        """, DEPLOYMENT);

    assertThat(c.problems()).containsExactly(
        new FieldProblem("metadata.name", Type.INVALID_TYPE, "Invalid value: 5: must be a string"),
        new FieldProblem("metadata.labels[tier]", Type.INVALID_TYPE, "Invalid value: [\"a\"]: must be a string"),
        new FieldProblem("spec.replicas", Type.INVALID_TYPE, "Invalid value: \"abc\": must be an integer"),
        new FieldProblem("spec.paused", Type.INVALID_TYPE, "Invalid value: \"yes\": must be a boolean"),
        new FieldProblem("spec.minReadySeconds", Type.INVALID_TYPE,
            "Invalid value: 3000000000: must be an integer in the int32 range"),
        new FieldProblem("spec.strategy.rollingUpdate.maxSurge", Type.INVALID_TYPE,
            "Invalid value: true: must be an integer or a string"),
        new FieldProblem("spec.template.spec.containers", Type.INVALID_TYPE,
            "Invalid value: \"web\": must be an array"));
    GenericRecord spec = at(c.record(), "spec");
    assertThat(spec.get("replicas")).isNull();
    assertThat(spec.get("paused")).isNull();
    assertThat(at(c.record(), "metadata").get("name")).isNull();
    assertThat(keys(at(c.record(), "metadata").get("labels"))).containsExactly("app");
  }

  @Test
  void nullMeansAbsentAndEmptyStaysEmpty() {
    Conversion c = decode("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
          labels: {}
          annotations: null
          finalizers: []
          creationTimestamp: null
        spec:
          containers: []
          nodeSelector: null
          hostname: ""
        """, POD);

    assertThat(c.problems()).isEmpty();
    GenericRecord meta = at(c.record(), "metadata");
    assertThat(meta.get("labels")).isEqualTo(Map.of());
    assertThat(meta.get("annotations")).isNull();
    assertThat((List<?>) meta.get("finalizers")).isEmpty();
    assertThat(meta.get("creationTimestamp")).isNull();
    assertThat(meta.get("ownerReferences")).isNull();
    ObjectNode json = KubeJson.toJson(c.record());
    assertThat(json.toString()).isEqualTo("{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
        + "\"metadata\":{\"name\":\"p\",\"labels\":{},\"finalizers\":[]},"
        + "\"spec\":{\"containers\":[],\"hostname\":\"\"}}");
  }

  @Test
  void nullMapValuesAreEmptyStringsAsInGo() {
    Conversion c = decode("metadata: {annotations: {note: }}", POD);
    assertThat(c.problems()).isEmpty();
    assertThat(at(c.record(), "metadata").get("annotations")).isEqualTo(Map.of("note", ""));
  }

  @Test
  void quantitiesAcceptNumbersAndKeepTheirStringForm() {
    Conversion c = decode("""
        spec:
          containers:
          - name: c
            resources:
              limits: {cpu: 1, memory: 1.5, ephemeral-storage: "1e3"}
              requests: {cpu: 100m, memory: 1Gi, nvidia.com/gpu: "0.5"}
          overhead: {cpu: one, memory: "1Gb"}
        """, POD);

    JsonNode resources = KubeJson.toJson(c.record()).at("/spec/containers/0/resources");
    assertThat(resources.get("limits")).isEqualTo(
        MAPPER.createObjectNode().put("cpu", "1").put("ephemeral-storage", "1e3").put("memory", "1.5"));
    assertThat(resources.at("/requests/nvidia.com~1gpu").asText()).isEqualTo("0.5");
    assertThat(c.problems()).extracting(FieldProblem::path).containsExactly("spec.overhead[cpu]", "spec.overhead[memory]");
    assertThat(c.problems().get(0).message()).startsWith("Invalid value: \"one\": must be a quantity");
  }

  @Test
  void intOrStringAcceptsBoth() {
    Conversion c = decode("""
        spec:
          strategy: {rollingUpdate: {maxSurge: 25%, maxUnavailable: 1}}
        """, DEPLOYMENT);
    assertThat(c.problems()).isEmpty();
    GenericRecord ru = at(c.record(), "spec", "strategy", "rollingUpdate");
    assertThat(ru.get("maxSurge")).isEqualTo("25%");
    assertThat(ru.get("maxUnavailable")).isEqualTo(1);
    JsonNode back = KubeJson.toJson(c.record()).at("/spec/strategy/rollingUpdate");
    assertThat(back.get("maxSurge").isTextual()).isTrue();
    assertThat(back.get("maxUnavailable").isInt()).isTrue();
  }

  @Test
  void timesParseRfc3339AndPrintAsKubernetesDoes() {
    Conversion c = decode("""
        metadata:
          creationTimestamp: "2024-05-01T12:00:00.750+02:00"
          deletionTimestamp: 2024-05-01T10:00:00Z
        """, POD);
    assertThat(c.problems()).isEmpty();
    GenericRecord meta = at(c.record(), "metadata");
    assertThat(meta.get("creationTimestamp")).isEqualTo(Instant.parse("2024-05-01T10:00:00Z").toEpochMilli());
    assertThat(KubeJson.toJson(c.record()).at("/metadata/creationTimestamp").asText())
        .isEqualTo("2024-05-01T10:00:00Z");

    Schema lease = schema("leases.coordination.k8s.io");
    Conversion l = decode("""
        spec:
          renewTime: "2024-05-01T10:00:00.123456789Z"
          acquireTime: "2024-05-01T11:00:00+01:00"
        """, lease);
    assertThat(l.problems()).isEmpty();
    assertThat(at(l.record(), "spec").get("renewTime")).isEqualTo(1714557600123456L);
    JsonNode spec = KubeJson.toJson(l.record()).get("spec");
    assertThat(spec.get("renewTime").asText()).isEqualTo("2024-05-01T10:00:00.123456Z");
    assertThat(spec.get("acquireTime").asText()).isEqualTo("2024-05-01T10:00:00.000000Z");

    Conversion bad = decode("metadata: {creationTimestamp: yesterday}", POD);
    assertThat(bad.problems()).containsExactly(new FieldProblem("metadata.creationTimestamp", Type.INVALID_TYPE,
        "Invalid value: \"yesterday\": must be an RFC3339 time such as \"2024-05-01T10:00:00Z\""));
  }

  @Test
  void bytesAreBase64AndInvalidBase64IsRejected() {
    Schema secret = schema("secrets");
    Conversion c = decode("""
        data:
          good: aGVsbG8=
          bad: "not base64!"
        """, secret);
    assertThat(c.problems()).hasSize(1);
    assertThat(c.problems().get(0).path()).isEqualTo("data[bad]");
    assertThat(c.problems().get(0).type()).isEqualTo(Type.INVALID_TYPE);
    assertThat(c.problems().get(0).message()).startsWith("Invalid value: \"not base64!\": must be a base64-encoded string");
    Map<?, ?> data = (Map<?, ?>) c.record().get("data");
    assertThat(keys(data)).containsExactly("good");
    assertThat(StandardCharsets.UTF_8.decode(((ByteBuffer) data.get("good")).duplicate()).toString()).isEqualTo("hello");
    assertThat(KubeJson.toJson(c.record()).at("/data/good").asText()).isEqualTo("aGVsbG8=");
  }

  @Test
  void rawExtensionHoldsAnyJsonAsCompactText() {
    Schema revision = schema("controllerrevisions.apps");
    Conversion c = decode("{\"data\": {\"b\": [1, 2.5, null, \"x\"], \"a\": {}}, \"revision\": 1}", revision);
    assertThat(c.problems()).isEmpty();
    assertThat(c.record().get("data")).isEqualTo("{\"b\":[1,2.5,null,\"x\"],\"a\":{}}");
    assertThat(KubeJson.toJson(c.record()).get("data").toString()).isEqualTo("{\"b\":[1,2.5,null,\"x\"],\"a\":{}}");
  }

  @Test
  void apiVersionAndKindAreCheckedAgainstTheSchema() {
    Conversion c = decode("{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"x\"}}", DEPLOYMENT);
    assertThat(c.problems()).containsExactly(
        new FieldProblem("apiVersion", Type.INVALID_VALUE,
            "the API version in the data (v1) does not match the expected API version (apps/v1)"),
        new FieldProblem("kind", Type.INVALID_VALUE,
            "the kind in the data (Pod) does not match the expected kind (Deployment)"));
    // written from the schema on output
    ObjectNode json = KubeJson.toJson(c.record());
    assertThat(json.get("apiVersion").asText()).isEqualTo("apps/v1");
    assertThat(json.get("kind").asText()).isEqualTo("Deployment");
  }

  @Test
  void aDocumentThatIsNotAnObjectIsReported() {
    Conversion c = KubeJson.toAvro(MAPPER.getNodeFactory().arrayNode(), POD);
    assertThat(c.record()).isNull();
    assertThat(c.problems()).containsExactly(new FieldProblem("", Type.INVALID_TYPE, "Invalid value: []: must be an object"));
  }

  @Test
  void malformedInputGetsAClearMessage() {
    assertThatThrownBy(() -> KubeJson.parse("{\"metadata\": {\"name\": \"x\",}}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedDocumentException.class)
        .hasMessageStartingWith("invalid JSON at line 1, column ");
    assertThatThrownBy(() -> KubeJson.parse("metadata:\n  name: [x\n".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedDocumentException.class)
        .hasMessageStartingWith("invalid YAML at line ");
    assertThatThrownBy(() -> KubeJson.parse("a: 1\n---\nb: 2\n".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedDocumentException.class)
        .hasMessageContaining("expected a single document");
    assertThatThrownBy(() -> KubeJson.parse("  \n".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedDocumentException.class)
        .hasMessage("empty YAML document");
  }

  @Test
  void worksForNestedRecordSchemasAndUtf8Values() {
    Schema objectMeta = POD.getField("metadata").schema().getTypes().get(1);
    GenericData.Record meta = new GenericData.Record(objectMeta);
    meta.put("name", new Utf8("web"));
    meta.put("labels", Map.of(new Utf8("b"), new Utf8("2"), new Utf8("a"), new Utf8("1")));
    assertThat(KubeJson.toJson(meta).toString()).isEqualTo("{\"name\":\"web\",\"labels\":{\"a\":\"1\",\"b\":\"2\"}}");

    Conversion c = KubeJson.toAvro(KubeJson.toJson(meta), objectMeta);
    assertThat(c.problems()).isEmpty();
    assertThat(c.record().get("name")).isEqualTo("web");
  }

  @Test
  void envelopesConvertToo() throws IOException {
    Conversion c = decode("""
        op: CREATE
        key: /registry/deployments.apps/default/web
        resource: deployments.apps
        object:
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: web, namespace: default}
        user: {username: jane}
        requestId: r-1
        timestamp: 1714557600000
        """, KafkubeSchemas.command());
    assertThat(c.problems()).isEmpty();
    GenericRecord object = (GenericRecord) c.record().get("object");
    assertThat(object.getSchema().getFullName()).isEqualTo("io.k8s.api.apps.v1.Deployment");
    assertThat(c.record().get("dryRun")).isEqualTo(false);
    assertThat((List<?>) at(c.record(), "user").get("groups")).isEmpty();
    byte[] bytes = ManifestRoundTripTest.encode(KafkubeSchemas.command(), c.record());
    GenericRecord decoded = ManifestRoundTripTest.decode(KafkubeSchemas.command(), bytes);
    assertThat(KubeJson.toJson(decoded).get("object")).isEqualTo(KubeJson.toJson(object));
    assertThat(KubeJson.toJson(decoded).get("op").asText()).isEqualTo("CREATE");

    Conversion wrongKind = decode("object: {apiVersion: v1, kind: Nope}", KafkubeSchemas.command());
    assertThat(wrongKind.problems()).extracting(FieldProblem::path).containsExactly("object");
  }
}
