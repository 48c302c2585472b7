package io.kafkube.schemas.resource;

import java.util.List;
import java.util.Objects;

/**
 * One kind of the Kubernetes API as kafkube serves it: kind, resource, group/version, scope, short
 * names and the names of its schema. Everything else (state topic, object key, Avro schema) derives
 * from these fields, so every module agrees on them.
 *
 * @param kind       e.g. {@code Deployment}
 * @param group      API group, {@code ""} for the core group
 * @param version    e.g. {@code v1}
 * @param plural     the resource name, e.g. {@code deployments}
 * @param singular   e.g. {@code deployment}
 * @param namespaced whether objects live in a namespace
 * @param shortNames kubectl short names, e.g. {@code deploy}
 * @param categories discovery categories, e.g. {@code all}
 * @param protoName  full name of the protobuf message that describes the kind in k8s.io/api
 */
public record ResourceType(
    String kind,
    String group,
    String version,
    String plural,
    String singular,
    boolean namespaced,
    List<String> shortNames,
    List<String> categories,
    String protoName) {

  public ResourceType {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(plural, "plural");
    Objects.requireNonNull(singular, "singular");
    shortNames = List.copyOf(shortNames);
    categories = List.copyOf(categories);
    Objects.requireNonNull(protoName, "protoName");
  }

  /**
   * From the kind, group and plural alone (equal types have them equal): types are map keys on every
   * change a view applies, and a record's own hash would walk the lists of names every time.
   */
  @Override
  public int hashCode() {
    return (kind.hashCode() * 31 + group.hashCode()) * 31 + plural.hashCode();
  }

  /** {@code v1} for the core group, {@code apps/v1} otherwise. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** {@code pods} or {@code deployments.apps}: the name used in object keys and topic names. */
  public String groupResource() {
    return group.isEmpty() ? plural : plural + "." + group;
  }

  /** The full name of the Avro record of this kind, e.g. {@code io.k8s.api.apps.v1.Deployment}. */
  public String avroFullName() {
    return AvroNames.fromProto(protoName);
  }

  /** The etcd-style key prefix of this resource, ending in {@code /}: {@code /registry/pods/}. */
  public String keyPrefix() {
    return ObjectKey.REGISTRY_PREFIX + groupResource() + "/";
  }

  /** The key of one object; {@code namespace} is ignored for cluster-scoped kinds. */
  public ObjectKey key(String namespace, String name) {
    return new ObjectKey(this, namespaced ? namespace : null, name);
  }

  @Override
  public String toString() {
    return groupResource();
  }
}
