package io.kafkube.schemas.gen;

import io.kafkube.schemas.proto.ProtoCatalog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.avro.SchemaProps;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;

class ProtoToAvroTest {
  private static final ResourceRegistry REGISTRY = ResourceRegistry.kubernetes();
  private static final SchemaGenerator.Generated GENERATED = SchemaGenerator.build(REGISTRY);

  private static Schema kind(String groupResource) {
    return GENERATED.kinds().get(REGISTRY.byGroupResource(groupResource).orElseThrow());
  }

  /** The type of field {@code path} (dot-separated, through optional unions, arrays, maps). */
  private static Schema at(Schema record, String path) {
    Schema s = record;
    for (String name : path.split("\\.")) {
      s = unwrap(s);
      Schema.Field f = s.getField(name);
      assertThat(f).as(path + ": no field " + name + " in " + s.getFullName()).isNotNull();
      s = f.schema();
    }
    return s;
  }

  private static Schema unwrap(Schema s) {
    while (true) {
      if (s.getType() == Schema.Type.UNION && s.getTypes().size() == 2) {
        s = s.getTypes().get(1);
      } else if (s.getType() == Schema.Type.ARRAY) {
        s = s.getElementType();
      } else if (s.getType() == Schema.Type.MAP) {
        s = s.getValueType();
      } else {
        return s;
      }
    }
  }

  @Test
  void everyFieldOfEveryGeneratedRecordIsOptionalWithNullDefault() {
    Set<Schema> records = new HashSet<>();
    GENERATED.kinds().values().forEach(k -> collectRecords(k, records));
    collectRecords(GENERATED.status(), records);
    assertThat(records).hasSize(GENERATED.recordTypes() - 6);
    for (Schema r : records) {
      for (Schema.Field f : r.getFields()) {
        assertThat(f.schema().getType()).as(r.getFullName() + "." + f.name()).isEqualTo(Schema.Type.UNION);
        assertThat(f.schema().getTypes().get(0).getType()).isEqualTo(Schema.Type.NULL);
        assertThat(f.defaultVal()).as(r.getFullName() + "." + f.name()).isEqualTo(JsonProperties.NULL_VALUE);
      }
    }
  }

  @Test
  void namesAndNamespacesFollowTheOpenApiNames() {
    Schema pod = kind("pods");
    assertThat(pod.getFullName()).isEqualTo("io.k8s.api.core.v1.Pod");
    assertThat(unwrap(at(pod, "spec")).getFullName()).isEqualTo("io.k8s.api.core.v1.PodSpec");
    assertThat(unwrap(at(pod, "metadata")).getFullName())
        .isEqualTo("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
    assertThat(pod.getField("metadata").pos()).isZero();
    assertThat(pod.getProp(SchemaProps.KIND)).isEqualTo("Pod");
    assertThat(pod.getProp(SchemaProps.API_VERSION)).isEqualTo("v1");
    assertThat(kind("deployments.apps").getProp(SchemaProps.API_VERSION)).isEqualTo("apps/v1");
    assertThat(kind("deployments.apps").getProp(SchemaProps.RESOURCE)).isEqualTo("deployments.apps");
  }

  @Test
  void scalarsCollectionsAndMaps() {
    Schema pod = kind("pods");
    Schema name = at(pod, "metadata.name").getTypes().get(1);
    assertThat(name.getType()).isEqualTo(Schema.Type.STRING);
    assertThat(name.getProp(GenericData.STRING_PROP)).isEqualTo("String");
    assertThat(at(pod, "metadata.generation").getTypes().get(1).getType()).isEqualTo(Schema.Type.LONG);
    assertThat(at(pod, "spec.priority").getTypes().get(1).getType()).isEqualTo(Schema.Type.INT);
    assertThat(at(pod, "spec.hostNetwork").getTypes().get(1).getType()).isEqualTo(Schema.Type.BOOLEAN);
    Schema containers = at(pod, "spec.containers").getTypes().get(1);
    assertThat(containers.getType()).isEqualTo(Schema.Type.ARRAY);
    assertThat(containers.getElementType().getFullName()).isEqualTo("io.k8s.api.core.v1.Container");
    Schema labels = at(pod, "metadata.labels").getTypes().get(1);
    assertThat(labels.getType()).isEqualTo(Schema.Type.MAP);
    assertThat(labels.getValueType().getType()).isEqualTo(Schema.Type.STRING);
    Schema data = at(kind("secrets"), "data").getTypes().get(1);
    assertThat(data.getValueType().getType()).isEqualTo(Schema.Type.BYTES);
  }

  @Test
  void specialTypesAreTagged() {
    Schema pod = kind("pods");
    Schema limits = at(pod, "spec.containers.resources.limits").getTypes().get(1).getValueType();
    assertThat(limits.getType()).isEqualTo(Schema.Type.STRING);
    assertThat(limits.getProp(SchemaProps.TYPE)).isEqualTo(SchemaProps.QUANTITY);

    Schema created = at(pod, "metadata.creationTimestamp").getTypes().get(1);
    assertThat(created.getType()).isEqualTo(Schema.Type.LONG);
    assertThat(created.getLogicalType().getName()).isEqualTo("timestamp-millis");
    assertThat(created.getProp(SchemaProps.TYPE)).isEqualTo(SchemaProps.TIME);

    Schema renew = at(kind("leases.coordination.k8s.io"), "spec.renewTime").getTypes().get(1);
    assertThat(renew.getLogicalType().getName()).isEqualTo("timestamp-micros");
    assertThat(renew.getProp(SchemaProps.TYPE)).isEqualTo(SchemaProps.MICRO_TIME);

    Schema targetPort = at(kind("services"), "spec.ports.targetPort");
    assertThat(targetPort.getTypes()).extracting(Schema::getType)
        .containsExactly(Schema.Type.NULL, Schema.Type.INT, Schema.Type.STRING);
    assertThat(targetPort.getTypes().get(2).getProp(SchemaProps.TYPE)).isEqualTo(SchemaProps.INT_OR_STRING);

    Schema data = at(kind("controllerrevisions.apps"), "data").getTypes().get(1);
    assertThat(data.getType()).isEqualTo(Schema.Type.STRING);
    assertThat(data.getProp(SchemaProps.TYPE)).isEqualTo(SchemaProps.JSON);
    Schema fieldsV1 = at(pod, "metadata.managedFields.fieldsV1").getTypes().get(1);
    assertThat(fieldsV1.getProp(SchemaProps.TYPE)).isEqualTo(SchemaProps.JSON);
  }

  @Test
  void protoNamesThatAreNotTheJsonNamesAreFixed() {
    Schema parameters = unwrap(at(kind("ingressclasses.networking.k8s.io"), "spec.parameters"));
    assertThat(parameters.getFields()).extracting(Schema.Field::name)
        .containsExactly("apiGroup", "kind", "name", "scope", "namespace");
    Schema endpoint = unwrap(at(kind("nodes"), "status.daemonEndpoints.kubeletEndpoint"));
    assertThat(endpoint.getFields()).extracting(Schema.Field::name).containsExactly("Port");
  }

  @Test
  void inlineFieldsAreFlattenedIntoTheirParent() {
    Schema volume = unwrap(at(kind("pods"), "spec.volumes"));
    assertThat(volume.getField("volumeSource")).isNull();
    assertThat(volume.getField("name").pos()).isZero();
    assertThat(volume.getField("configMap")).isNotNull();
    assertThat(volume.getField("emptyDir")).isNotNull();

    Schema probe = unwrap(at(kind("pods"), "spec.containers.livenessProbe"));
    assertThat(probe.getField("handler")).isNull();
    assertThat(probe.getFields()).extracting(Schema.Field::name)
        .startsWith("exec", "httpGet", "tcpSocket", "grpc").contains("periodSeconds");

    Schema pvSpec = unwrap(at(kind("persistentvolumes"), "spec"));
    assertThat(pvSpec.getField("persistentVolumeSource")).isNull();
    assertThat(pvSpec.getField("csi")).isNotNull();
    assertThat(pvSpec.getField("capacity")).isNotNull();

    Schema rule = unwrap(at(kind("ingresses.networking.k8s.io"), "spec.rules"));
    assertThat(rule.getFields()).extracting(Schema.Field::name).containsExactly("host", "http");

    Schema ephemeral = unwrap(at(kind("pods"), "spec.ephemeralContainers"));
    assertThat(ephemeral.getField("ephemeralContainerCommon")).isNull();
    assertThat(ephemeral.getField("image")).isNotNull();
    assertThat(ephemeral.getField("targetContainerName")).isNotNull();
  }

  /** Singular message fields that look like Go embedded structs must each be reviewed. */
  @Test
  void inlineCandidatesAreReviewed() {
    // real JSON fields (their Go field has a json name), reviewed against k8s.io/api types.go
    Set<String> notInline = Set.of(
        "k8s.io.api.batch.v1.JobSpec.podFailurePolicy",
        "k8s.io.api.batch.v1.JobSpec.successPolicy",
        "k8s.io.api.batch.v1.JobStatus.uncountedTerminatedPods",
        "k8s.io.api.core.v1.Affinity.nodeAffinity",
        "k8s.io.api.core.v1.Affinity.podAffinity",
        "k8s.io.api.core.v1.Affinity.podAntiAffinity",
        "k8s.io.api.core.v1.ClusterTrustBundleProjection.labelSelector",
        "k8s.io.api.core.v1.Container.lifecycle",
        "k8s.io.api.core.v1.Container.securityContext",
        "k8s.io.api.core.v1.EphemeralContainerCommon.lifecycle",
        "k8s.io.api.core.v1.EphemeralContainerCommon.securityContext",
        "k8s.io.api.core.v1.Event.source",
        "k8s.io.api.core.v1.NodeSpec.configSource",
        "k8s.io.api.core.v1.PersistentVolumeClaimStatus.modifyVolumeStatus",
        "k8s.io.api.core.v1.PodAffinityTerm.labelSelector",
        "k8s.io.api.core.v1.PodSecurityContext.appArmorProfile",
        "k8s.io.api.core.v1.PodSecurityContext.seccompProfile",
        "k8s.io.api.core.v1.PodSpec.affinity",
        "k8s.io.api.core.v1.SecurityContext.appArmorProfile",
        "k8s.io.api.core.v1.SecurityContext.capabilities",
        "k8s.io.api.core.v1.SecurityContext.seccompProfile",
        "k8s.io.api.core.v1.ServiceSpec.sessionAffinityConfig",
        "k8s.io.api.core.v1.TopologySpreadConstraint.labelSelector",
        "k8s.io.api.core.v1.WeightedPodAffinityTerm.podAffinityTerm",
        "k8s.io.api.rbac.v1.ClusterRole.aggregationRule",
        "k8s.io.api.rbac.v1.ClusterRoleBinding.roleRef",
        "k8s.io.api.rbac.v1.RoleBinding.roleRef",
        "k8s.io.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry.fieldsV1",
        "k8s.io.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry.time");
    Set<String> candidates = new TreeSet<>();
    ProtoCatalog catalog = ProtoCatalog.kubernetes();
    Deque<Descriptor> todo = new ArrayDeque<>();
    REGISTRY.all().forEach(t -> todo.add(catalog.message(t.protoName())));
    Set<String> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      Descriptor d = todo.poll();
      if (!seen.add(d.getFullName())) {
        continue;
      }
      for (FieldDescriptor f : d.getFields()) {
        if (f.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
          continue;
        }
        Descriptor m = f.isMapField() ? null : f.getMessageType();
        if (m == null) {
          continue;
        }
        todo.add(m);
        String suffix = Character.toUpperCase(f.getName().charAt(0)) + f.getName().substring(1);
        boolean namedAfterType = m.getName().equals(suffix);
        boolean suffixed = m.getName().matches(".*(Source|Common|Value|Handler)") && m.getName().endsWith(suffix);
        if (!f.isRepeated() && (namedAfterType || suffixed)) {
          candidates.add(d.getFullName() + "." + f.getName());
        }
      }
    }
    Set<String> reviewed = new TreeSet<>(ProtoToAvro.INLINE_FIELDS);
    reviewed.addAll(notInline);
    assertThat(candidates).isEqualTo(reviewed);
  }

  /** A message of a test-only proto file, package {@code k8s.io.test.v1}. */
  private static Descriptor testMessage(String name, FieldDescriptorProto... fields) throws Exception {
    FileDescriptorProto file = FileDescriptorProto.newBuilder()
        .setName("k8s.io/test/v1/generated.proto").setPackage("k8s.io.test.v1").setSyntax("proto2")
        .addMessageType(DescriptorProto.newBuilder().setName(name).addAllField(List.of(fields)))
        .build();
    return FileDescriptor.buildFrom(file, new FileDescriptor[0]).findMessageTypeByName(name);
  }

  private static FieldDescriptorProto field(String name, int number, FieldDescriptorProto.Type type,
      FieldDescriptorProto.Label label, String typeName) {
    FieldDescriptorProto.Builder b = FieldDescriptorProto.newBuilder()
        .setName(name).setNumber(number).setType(type).setLabel(label);
    if (typeName != null) {
      b.setTypeName(typeName);
    }
    return b.build();
  }

  @Test
  void recursiveMessagesBecomeNamedReferences() throws Exception {
    Descriptor tree = testMessage("Tree",
        field("name", 1, FieldDescriptorProto.Type.TYPE_STRING, FieldDescriptorProto.Label.LABEL_OPTIONAL, null),
        field("children", 2, FieldDescriptorProto.Type.TYPE_MESSAGE, FieldDescriptorProto.Label.LABEL_REPEATED,
            ".k8s.io.test.v1.Tree"),
        field("parent", 3, FieldDescriptorProto.Type.TYPE_MESSAGE, FieldDescriptorProto.Label.LABEL_OPTIONAL,
            ".k8s.io.test.v1.Tree"));

    Schema record = new ProtoToAvro().record(tree);

    assertThat(record.getFullName()).isEqualTo("io.k8s.test.v1.Tree");
    assertThat(record.getField("children").schema().getTypes().get(1).getElementType()).isSameAs(record);
    assertThat(record.getField("parent").schema().getTypes().get(1)).isSameAs(record);
    String json = SchemaGenerator.print(record);
    assertThat(json).contains("\"items\" : \"Tree\"", "\"type\" : [ \"null\", \"Tree\" ]");
    assertThat(new Schema.Parser().parse(json)).isEqualTo(record);
  }

  @Test
  void namesThatMayNotBeTheJsonNamesStopTheGenerator() throws Exception {
    Descriptor ref = testMessage("Ref",
        field("aPIVersion", 1, FieldDescriptorProto.Type.TYPE_STRING, FieldDescriptorProto.Label.LABEL_OPTIONAL, null));
    assertThatThrownBy(() -> new ProtoToAvro().record(ref))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("k8s.io.test.v1.Ref.aPIVersion");
  }

  @Test
  void committedKindSchemasAreTheGeneratedOnes() {
    for (ResourceType t : REGISTRY.all()) {
      assertThat(KafkubeSchemas.kind(t)).isEqualTo(GENERATED.kinds().get(t));
    }
    assertThat(KafkubeSchemas.command()).isEqualTo(GENERATED.envelopes().command());
  }

  private static void collectRecords(Schema s, Set<Schema> out) {
    switch (s.getType()) {
      case RECORD -> {
        if (out.add(s)) {
          s.getFields().forEach(f -> collectRecords(f.schema(), out));
        }
      }
      case UNION -> s.getTypes().forEach(b -> collectRecords(b, out));
      case ARRAY -> collectRecords(s.getElementType(), out);
      case MAP -> collectRecords(s.getValueType(), out);
      default -> { }
    }
  }
}
