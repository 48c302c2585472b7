package io.kafkube.schemas.proto;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.kubernetes.client.proto.IntStr;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Resource;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Batch;
import io.kubernetes.client.proto.V1Coordination;
import io.kubernetes.client.proto.V1Discovery;
import io.kubernetes.client.proto.V1Networking;
import io.kubernetes.client.proto.V1Policy;
import io.kubernetes.client.proto.V1Rbac;
import io.kubernetes.client.proto.V1Scheduling;
import io.kubernetes.client.proto.V1Storage;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The protobuf messages of client-java-proto by full name, across the files kafkube needs: the
 * authoritative description the Avro schemas are generated from, and the decoder of Kubernetes
 * protobuf request bodies.
 */
public final class ProtoCatalog {
  /**
   * Go {@code json:",inline"} fields. Go embeds these structs into the parent's JSON object, so
   * their sub-fields are the parent's fields in Kubernetes JSON ({@code volumes[0].configMap}, not
   * {@code volumes[0].volumeSource.configMap}). Protobuf cannot express inlining and keeps them as
   * one message-typed field named after the Go type; the Avro schema generator and the protobuf
   * body decoder flatten them into the parent. Key: {@code <proto message full name>.<proto field name>}.
   *
   * <p>Found by reviewing every singular message field whose name is its message's name in
   * lowerCamelCase (go-to-protobuf names embedded structs that way) or whose message name ends in
   * {@code Source}, {@code Common}, {@code Value} or {@code Handler}; the other candidates are real
   * JSON fields (see {@code ProtoToAvroTest.inlineCandidatesAreReviewed}). {@code Probe.handler}
   * kept its pre-1.23 name when the Go type became {@code ProbeHandler}.
   */
  public static final Set<String> INLINE_FIELDS = Set.of(
      "k8s.io.api.core.v1.Volume.volumeSource",
      "k8s.io.api.core.v1.PersistentVolumeSpec.persistentVolumeSource",
      "k8s.io.api.core.v1.Probe.handler",
      "k8s.io.api.networking.v1.IngressRule.ingressRuleValue",
      "k8s.io.api.core.v1.EphemeralContainer.ephemeralContainerCommon",
      "k8s.io.api.core.v1.VolumeMountStatus.volumeStatus",
      // LocalObjectReference ({name}) embedded in the config map / secret references
      "k8s.io.api.core.v1.ConfigMapEnvSource.localObjectReference",
      "k8s.io.api.core.v1.ConfigMapKeySelector.localObjectReference",
      "k8s.io.api.core.v1.ConfigMapProjection.localObjectReference",
      "k8s.io.api.core.v1.ConfigMapVolumeSource.localObjectReference",
      "k8s.io.api.core.v1.SecretEnvSource.localObjectReference",
      "k8s.io.api.core.v1.SecretKeySelector.localObjectReference",
      "k8s.io.api.core.v1.SecretProjection.localObjectReference");

  private static final ProtoCatalog KUBERNETES = build();
  private final Map<String, Descriptor> messages = new HashMap<>();

  private ProtoCatalog(List<FileDescriptor> roots) {
    Deque<FileDescriptor> todo = new ArrayDeque<>(roots);
    Set<String> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      FileDescriptor file = todo.poll();
      if (!seen.add(file.getName())) {
        continue;
      }
      for (Descriptor d : file.getMessageTypes()) {
        messages.put(d.getFullName(), d);
      }
      todo.addAll(file.getDependencies());
    }
  }

  /** Whether a field is one of the {@link #INLINE_FIELDS}. */
  public static boolean isInline(FieldDescriptor field) {
    return INLINE_FIELDS.contains(field.getContainingType().getFullName() + "." + field.getName());
  }

  /** The files of the API groups in {@code ResourceRegistry.kubernetes()} and their imports. */
  public static ProtoCatalog kubernetes() {
    return KUBERNETES;
  }

  private static ProtoCatalog build() {
    return new ProtoCatalog(List.of(
        V1.getDescriptor(), V1Apps.getDescriptor(), V1Batch.getDescriptor(),
        V1Networking.getDescriptor(), V1Discovery.getDescriptor(), V1Coordination.getDescriptor(),
        V1Rbac.getDescriptor(), V1Scheduling.getDescriptor(), V1Policy.getDescriptor(), V1Storage.getDescriptor(),
        Meta.getDescriptor(), Resource.getDescriptor(), IntStr.getDescriptor(),
        Runtime.getDescriptor()));
  }

  /** The message of this full name, if client-java-proto has it. */
  public Optional<Descriptor> find(String protoFullName) {
    return Optional.ofNullable(messages.get(protoFullName));
  }

  public Descriptor message(String protoFullName) {
    Descriptor d = messages.get(protoFullName);
    if (d == null) {
      throw new IllegalArgumentException("no protobuf message " + protoFullName + " in client-java-proto");
    }
    return d;
  }
}
