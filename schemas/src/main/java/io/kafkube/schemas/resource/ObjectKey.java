package io.kafkube.schemas.resource;

import java.util.Objects;
import java.util.Optional;

/**
 * The etcd-style key of an object, {@code /registry/<resource>[.<group>]/<namespace>/<name>}; the
 * namespace segment is absent for cluster-scoped kinds. It is the Kafka key of the object in
 * {@code commands}, {@code state.*} and {@code history}.
 */
public record ObjectKey(ResourceType type, String namespace, String name) {
  public static final String REGISTRY_PREFIX = "/registry/";

  public ObjectKey {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
    if (type.namespaced() && (namespace == null || namespace.isEmpty())) {
      throw new IllegalArgumentException(type.groupResource() + " is namespaced: a namespace is required");
    }
    if (!type.namespaced()) {
      namespace = null;
    }
  }

  /** Parses a key; empty when it is not the key of a known resource. */
  public static Optional<ObjectKey> parse(String key, ResourceRegistry registry) {
    if (key == null || !key.startsWith(REGISTRY_PREFIX)) {
      return Optional.empty();
    }
    String[] parts = key.substring(REGISTRY_PREFIX.length()).split("/", -1);
    if (parts.length < 2) {
      return Optional.empty();
    }
    Optional<ResourceType> type = registry.byGroupResource(parts[0]);
    if (type.isEmpty()) {
      return Optional.empty();
    }
    ResourceType t = type.get();
    if (t.namespaced() && parts.length == 3 && !parts[1].isEmpty() && !parts[2].isEmpty()) {
      return Optional.of(new ObjectKey(t, parts[1], parts[2]));
    }
    if (!t.namespaced() && parts.length == 2 && !parts[1].isEmpty()) {
      return Optional.of(new ObjectKey(t, null, parts[1]));
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return namespace == null
        ? type.keyPrefix() + name
        : type.keyPrefix() + namespace + "/" + name;
  }
}
