package io.kafkube.schemas.resource;

/** Maps protobuf package names of k8s.io/api to Avro namespaces as Kubernetes' OpenAPI names them. */
public final class AvroNames {
  private static final String PROTO_ROOT = "k8s.io.";

  private AvroNames() {}

  /** {@code k8s.io.api.core.v1.Pod} → {@code io.k8s.api.core.v1.Pod}. */
  public static String fromProto(String protoFullName) {
    if (!protoFullName.startsWith(PROTO_ROOT)) {
      throw new IllegalArgumentException("not a k8s.io protobuf name: " + protoFullName);
    }
    return "io.k8s." + protoFullName.substring(PROTO_ROOT.length());
  }
}
