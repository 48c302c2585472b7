package io.kafkube.schemas.proto;

import com.google.protobuf.Descriptors.Descriptor;
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

  /** The files of the API groups in {@code ResourceRegistry.kubernetes()} and their imports. */
  public static ProtoCatalog kubernetes() {
    return KUBERNETES;
  }

  private static ProtoCatalog build() {
    return new ProtoCatalog(List.of(
        V1.getDescriptor(), V1Apps.getDescriptor(), V1Batch.getDescriptor(),
        V1Networking.getDescriptor(), V1Discovery.getDescriptor(), V1Coordination.getDescriptor(),
        V1Rbac.getDescriptor(), V1Scheduling.getDescriptor(), V1Policy.getDescriptor(),
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
