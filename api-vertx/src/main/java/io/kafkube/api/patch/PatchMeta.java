package io.kafkube.api.patch;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The strategic-merge metadata of Kubernetes' types ({@code patchStrategy}/{@code patchMergeKey}
 * struct tags in k8s.io/api), keyed by the Avro record that stands for the Go type and the field:
 * the one table both the strategic merge patch and the OpenAPI documents read.
 *
 * @param strategy  {@code merge}, {@code retainKeys}, or {@code merge,retainKeys}
 * @param mergeKey  the field that identifies list elements, or null for lists of primitives
 */
public record PatchMeta(String strategy, String mergeKey) {
  private static final String CORE = "io.k8s.api.core.v1.";
  private static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
  private static final Map<String, PatchMeta> TABLE = new HashMap<>();

  static {
    merge(META + "ObjectMeta", "finalizers", null);
    merge(META + "ObjectMeta", "ownerReferences", "uid");
    merge(CORE + "PodSpec", "containers", "name");
    merge(CORE + "PodSpec", "initContainers", "name");
    merge(CORE + "PodSpec", "ephemeralContainers", "name");
    merge(CORE + "PodSpec", "imagePullSecrets", "name");
    merge(CORE + "PodSpec", "hostAliases", "ip");
    merge(CORE + "PodSpec", "topologySpreadConstraints", "topologyKey");
    merge(CORE + "PodSpec", "schedulingGates", "name");
    TABLE.put(CORE + "PodSpec.volumes", new PatchMeta("merge,retainKeys", "name"));
    TABLE.put(CORE + "PodSpec.resourceClaims", new PatchMeta("merge,retainKeys", "name"));
    merge(CORE + "Container", "ports", "containerPort");
    merge(CORE + "Container", "env", "name");
    merge(CORE + "Container", "volumeMounts", "mountPath");
    merge(CORE + "Container", "volumeDevices", "devicePath");
    merge(CORE + "EphemeralContainer", "ports", "containerPort");
    merge(CORE + "EphemeralContainer", "env", "name");
    merge(CORE + "EphemeralContainer", "volumeMounts", "mountPath");
    merge(CORE + "EphemeralContainer", "volumeDevices", "devicePath");
    merge(CORE + "PodStatus", "conditions", "type");
    merge(CORE + "PodStatus", "podIPs", "ip");
    merge(CORE + "PodStatus", "hostIPs", "ip");
    merge(CORE + "ServiceSpec", "ports", "port");
    merge(CORE + "ServiceStatus", "conditions", "type");
    merge(CORE + "NodeSpec", "podCIDRs", null);
    merge(CORE + "NodeStatus", "conditions", "type");
    merge(CORE + "NodeStatus", "addresses", "type");
    merge(CORE + "NamespaceStatus", "conditions", "type");
    merge(CORE + "PersistentVolumeClaimStatus", "conditions", "type");
    merge("io.k8s.api.apps.v1.DeploymentStatus", "conditions", "type");
    merge("io.k8s.api.apps.v1.ReplicaSetStatus", "conditions", "type");
    merge("io.k8s.api.apps.v1.StatefulSetStatus", "conditions", "type");
    merge("io.k8s.api.apps.v1.DaemonSetStatus", "conditions", "type");
    merge("io.k8s.api.batch.v1.JobStatus", "conditions", "type");
    merge("io.k8s.api.policy.v1.PodDisruptionBudgetStatus", "conditions", "type");
    TABLE.put("io.k8s.api.apps.v1.DeploymentSpec.strategy", new PatchMeta("retainKeys", null));
    TABLE.put("io.k8s.api.apps.v1.DaemonSetSpec.updateStrategy", new PatchMeta("retainKeys", null));
  }

  private static void merge(String record, String field, String key) {
    TABLE.put(record + "." + field, new PatchMeta("merge", key));
  }

  /** The metadata of a field of a record (by the record's Avro full name), if it has any. */
  public static Optional<PatchMeta> of(String recordFullName, String field) {
    return Optional.ofNullable(TABLE.get(recordFullName + "." + field));
  }

  public boolean merges() {
    return strategy.contains("merge");
  }

  public boolean retainsKeys() {
    return strategy.contains("retainKeys");
  }
}
