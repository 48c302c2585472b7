package io.kafkube.schemas.resource;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one table of the kinds kafkube serves: kind ↔ resource ↔ group/version ↔ scope ↔ short
 * names ↔ schema. Every module looks kinds up here; nothing else lists them.
 */
public final class ResourceRegistry {
  private static final List<String> ALL = List.of("all");
  private static final List<String> NONE = List.of();

  private static final ResourceRegistry KUBERNETES = new ResourceRegistry(List.of(
      core("Namespace", "namespaces", false, List.of("ns"), NONE),
      core("Pod", "pods", true, List.of("po"), ALL),
      core("Node", "nodes", false, List.of("no"), NONE),
      core("Service", "services", true, List.of("svc"), ALL),
      core("Endpoints", "endpoints", true, List.of("ep"), NONE),
      core("ConfigMap", "configmaps", true, List.of("cm"), NONE),
      core("Secret", "secrets", true, NONE, NONE),
      core("ServiceAccount", "serviceaccounts", true, List.of("sa"), NONE),
      core("Event", "events", true, List.of("ev"), NONE),
      core("PersistentVolume", "persistentvolumes", false, List.of("pv"), NONE),
      core("PersistentVolumeClaim", "persistentvolumeclaims", true, List.of("pvc"), NONE),
      group("apps", "apps", "Deployment", "deployments", true, List.of("deploy"), ALL),
      group("apps", "apps", "ReplicaSet", "replicasets", true, List.of("rs"), ALL),
      group("apps", "apps", "StatefulSet", "statefulsets", true, List.of("sts"), ALL),
      group("apps", "apps", "DaemonSet", "daemonsets", true, List.of("ds"), ALL),
      group("apps", "apps", "ControllerRevision", "controllerrevisions", true, NONE, NONE),
      group("batch", "batch", "Job", "jobs", true, NONE, ALL),
      group("batch", "batch", "CronJob", "cronjobs", true, List.of("cj"), ALL),
      group("networking.k8s.io", "networking", "Ingress", "ingresses", true, List.of("ing"), NONE),
      group("networking.k8s.io", "networking", "IngressClass", "ingressclasses", false, NONE, NONE),
      group("discovery.k8s.io", "discovery", "EndpointSlice", "endpointslices", true, NONE, NONE),
      group("coordination.k8s.io", "coordination", "Lease", "leases", true, NONE, NONE),
      group("rbac.authorization.k8s.io", "rbac", "Role", "roles", true, NONE, NONE),
      group("rbac.authorization.k8s.io", "rbac", "ClusterRole", "clusterroles", false, NONE, NONE),
      group("rbac.authorization.k8s.io", "rbac", "RoleBinding", "rolebindings", true, NONE, NONE),
      group("rbac.authorization.k8s.io", "rbac", "ClusterRoleBinding", "clusterrolebindings", false, NONE, NONE),
      group("scheduling.k8s.io", "scheduling", "PriorityClass", "priorityclasses", false, List.of("pc"), NONE),
      group("storage.k8s.io", "storage", "StorageClass", "storageclasses", false, List.of("sc"), NONE),
      group("policy", "policy", "PodDisruptionBudget", "poddisruptionbudgets", true, List.of("pdb"), NONE)));

  private final List<ResourceType> types;
  private final Map<String, ResourceType> byGroupResource = new LinkedHashMap<>();
  private final Map<String, ResourceType> byApiVersionKind = new LinkedHashMap<>();
  private final Map<String, ResourceType> byAvroName = new LinkedHashMap<>();

  private ResourceRegistry(List<ResourceType> types) {
    this.types = List.copyOf(types);
    for (ResourceType t : types) {
      put(byGroupResource, t.groupResource(), t);
      put(byApiVersionKind, t.apiVersion() + "/" + t.kind(), t);
      put(byAvroName, t.avroFullName(), t);
    }
  }

  private static void put(Map<String, ResourceType> map, String key, ResourceType t) {
    if (map.putIfAbsent(key, t) != null) {
      throw new IllegalStateException("duplicate resource entry " + key);
    }
  }

  /** The kinds of the Kubernetes API that kafkube serves. */
  public static ResourceRegistry kubernetes() {
    return KUBERNETES;
  }

  public List<ResourceType> all() {
    return types;
  }

  /** By {@code pods} or {@code deployments.apps}. */
  public Optional<ResourceType> byGroupResource(String groupResource) {
    return Optional.ofNullable(byGroupResource.get(groupResource));
  }

  /** By {@code apiVersion} and {@code kind}, as they appear in a manifest. */
  public Optional<ResourceType> byKind(String apiVersion, String kind) {
    return Optional.ofNullable(byApiVersionKind.get(apiVersion + "/" + kind));
  }

  /** By group and plural, as they appear in an API path. */
  public Optional<ResourceType> byPlural(String group, String plural) {
    return byGroupResource(group.isEmpty() ? plural : plural + "." + group);
  }

  /** By the full name of the kind's Avro record. */
  public Optional<ResourceType> byAvroName(String fullName) {
    return Optional.ofNullable(byAvroName.get(fullName));
  }

  /**
   * Resolves what a user types after {@code kubectl get}: plural, singular, kind or short name,
   * optionally qualified with a group ({@code deployments.apps}).
   */
  public Optional<ResourceType> resolve(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    for (ResourceType t : types) {
      if (t.groupResource().equals(n) || t.plural().equals(n) || t.singular().equals(n)
          || t.kind().toLowerCase(Locale.ROOT).equals(n) || t.shortNames().contains(n)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  public Collection<String> groups() {
    return types.stream().map(ResourceType::group).distinct().toList();
  }

  private static ResourceType core(
      String kind, String plural, boolean namespaced, List<String> shortNames, List<String> categories) {
    return new ResourceType(kind, "", "v1", plural, kind.toLowerCase(Locale.ROOT), namespaced,
        shortNames, categories, "k8s.io.api.core.v1." + kind);
  }

  private static ResourceType group(String group, String protoPackage, String kind, String plural,
      boolean namespaced, List<String> shortNames, List<String> categories) {
    return new ResourceType(kind, group, "v1", plural, kind.toLowerCase(Locale.ROOT), namespaced,
        shortNames, categories, "k8s.io.api." + protoPackage + ".v1." + kind);
  }
}
