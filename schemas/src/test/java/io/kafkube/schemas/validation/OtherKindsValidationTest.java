package io.kafkube.schemas.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** ConfigMap, Secret, Namespace, Node, PV/PVC, Ingress, EndpointSlice, Lease, RBAC, PriorityClass, PDB, StorageClass. */
class OtherKindsValidationTest {
  private static final String NS = "metadata: {name: x, namespace: default}\n";
  private static final String CLUSTER = "metadata: {name: x}\n";

  static Arguments c(String kind, String apiVersion, String body, List<String> expected) {
    return Arguments.of(kind, "apiVersion: " + apiVersion + "\nkind: " + kind + "\n" + body, expected);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        c("ConfigMap", "v1", NS + "data: {app.properties: x, KEY_1: y}\nbinaryData: {logo.png: AAAA}", List.of()),
        c("ConfigMap", "v1", NS + "data: {a/b: x}", List.of("data[a/b]: Invalid value: \"a/b\": a valid config key must consist "
            + "of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for "
            + "validation is '[-._a-zA-Z0-9]+')")),
        c("ConfigMap", "v1", NS + "data: {k: x}\nbinaryData: {k: AAAA}",
            List.of("data[k]: Invalid value: \"k\": duplicate of key present in binaryData",
                "binaryData[k]: Invalid value: \"k\": duplicate of key present in data")),
        c("Secret", "v1", NS + "data: {..x: AAAA}", List.of("data[..x]: Invalid value: \"..x\": must not start with '..'")),
        c("Secret", "v1", NS + "type: kubernetes.io/tls\ndata: {tls.crt: AAAA}", List.of("data[tls.key]: Required value")),
        c("Secret", "v1", NS + "type: kubernetes.io/basic-auth",
            List.of("data[username]: Required value", "data[password]: Required value")),
        c("Secret", "v1", NS + "type: example.com/custom", List.of()),
        c("Namespace", "v1", "metadata: {name: team}\nspec: {finalizers: [kubernetes, custom]}",
            List.of("spec.finalizers: Invalid value: \"custom\": name is neither a standard finalizer name nor is it fully qualified")),
        c("Node", "v1", CLUSTER + "spec: {taints: [{key: k, effect: NoRun}]}",
            List.of("spec.taints[0].effect: Unsupported value: \"NoRun\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"")),
        c("Node", "v1", CLUSTER + "spec: {taints: [{key: k, effect: NoSchedule}, {key: k, value: v, effect: NoSchedule}]}",
            List.of("spec.taints[1]: Duplicate value: core.Taint{Key:\"k\", Value:\"v\", Effect:\"NoSchedule\", "
                + "TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair")),
        c("PersistentVolume", "v1", CLUSTER + "spec: {capacity: {storage: 1Gi}, accessModes: [ReadWriteOnce], hostPath: {path: /tmp/x}}", List.of()),
        c("PersistentVolume", "v1", CLUSTER + "spec: {capacity: {storage: 1Gi}, accessModes: [ReadWriteSometimes], hostPath: {path: /tmp/x}}",
            List.of("spec.accessModes: Unsupported value: \"ReadWriteSometimes\": supported values: \"ReadOnlyMany\", "
                + "\"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\"")),
        c("PersistentVolume", "v1", CLUSTER + "spec: {capacity: {storage: \"0\"}, accessModes: [ReadWriteOnce]}",
            List.of("spec.capacity[storage]: Invalid value: \"0\": must be greater than zero",
                "spec: Required value: must specify a volume type")),
        c("PersistentVolumeClaim", "v1", NS + "spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}", List.of()),
        c("PersistentVolumeClaim", "v1", NS + "spec: {resources: {requests: {cpu: \"1\"}}}",
            List.of("spec.accessModes: Required value: at least 1 access mode is required", "spec.resources[storage]: Required value")),
        c("Ingress", "networking.k8s.io/v1", NS + "spec: {rules: [{host: web.example.com, http: {paths: [{path: /, pathType: Prefix, "
            + "backend: {service: {name: web, port: {number: 80}}}}]}}]}", List.of()),
        c("Ingress", "networking.k8s.io/v1", NS + "spec: {}",
            List.of("spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified")),
        c("Ingress", "networking.k8s.io/v1", NS + "spec: {rules: [{host: 10.0.0.1, http: {paths: [{path: /, "
            + "backend: {service: {name: web, port: {number: 80}}}}]}}]}",
            List.of("spec.rules[0].host: Invalid value: \"10.0.0.1\": must be a DNS name, not an IP address",
                "spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified")),
        c("Ingress", "networking.k8s.io/v1", NS + "spec: {rules: [{http: {paths: [{path: api, pathType: Exact, "
            + "backend: {service: {name: web}}}]}}]}",
            List.of("spec.rules[0].http.paths[0].path: Invalid value: \"api\": must be an absolute path",
                "spec.rules[0].http.paths[0].backend: Required value: port name or number is required")),
        c("EndpointSlice", "discovery.k8s.io/v1", NS + "addressType: IPv4\nendpoints: [{addresses: [10.1.0.5]}]\nports: [{port: 80}]", List.of()),
        c("EndpointSlice", "discovery.k8s.io/v1", NS + "addressType: IPv5",
            List.of("addressType: Unsupported value: \"IPv5\": supported values: \"FQDN\", \"IPv4\", \"IPv6\"")),
        c("EndpointSlice", "discovery.k8s.io/v1", NS + "addressType: IPv4\nendpoints: [{addresses: [\"::1\"]}, {addresses: []}]",
            List.of("endpoints[0].addresses[0]: Invalid value: \"::1\": must be a valid IPv4 address",
                "endpoints[1].addresses: Required value: must contain at least 1 address")),
        c("Lease", "coordination.k8s.io/v1", NS + "spec: {leaseDurationSeconds: 0}",
            List.of("spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0")),
        c("Role", "rbac.authorization.k8s.io/v1", NS + "rules: [{apiGroups: [\"\"], resources: [pods]}]",
            List.of("rules[0].verbs: Required value: verbs must contain at least one value")),
        c("ClusterRole", "rbac.authorization.k8s.io/v1", CLUSTER + "rules: [{verbs: [get], nonResourceURLs: [/healthz]}, {verbs: [get]}]",
            List.of("rules[1].apiGroups: Required value: resource rules must supply at least one api group",
                "rules[1].resources: Required value: resource rules must supply at least one resource")),
        c("RoleBinding", "rbac.authorization.k8s.io/v1", NS + "subjects: [{kind: User, name: alice}]",
            List.of("roleRef: Required value")),
        c("ClusterRoleBinding", "rbac.authorization.k8s.io/v1", CLUSTER + "roleRef: {kind: Role, name: admin}\n"
            + "subjects: [{kind: ServiceAccount, name: default}, {kind: Robot, name: r2}]",
            List.of("roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"",
                "subjects[0].namespace: Required value",
                "subjects[1].kind: Unsupported value: \"Robot\": supported values: \"ServiceAccount\", \"User\", \"Group\"")),
        c("PriorityClass", "scheduling.k8s.io/v1", "metadata: {name: high}\nvalue: 1000000000", List.of()),
        c("PriorityClass", "scheduling.k8s.io/v1", "metadata: {name: higher}\nvalue: 1000000001",
            List.of("value: Forbidden: maximum allowed value of a user defined priority is 1000000000")),
        c("PriorityClass", "scheduling.k8s.io/v1", "metadata: {name: system-mine}\nvalue: 1",
            List.of("metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. "
                + "error: system-mine is not a known system priority class")),
        c("PodDisruptionBudget", "policy/v1", NS + "spec: {minAvailable: 1, maxUnavailable: 1, selector: {matchLabels: {app: web}}}",
            List.of("spec: Invalid value: policy.PodDisruptionBudgetSpec{...}: minAvailable and maxUnavailable cannot be both set")),
        c("PodDisruptionBudget", "policy/v1", NS + "spec: {minAvailable: 50%, selector: {matchLabels: {app: web}}}", List.of()),
        c("StorageClass", "storage.k8s.io/v1", "metadata: {name: fast}\nprovisioner: example.com/disk", List.of()),
        c("StorageClass", "storage.k8s.io/v1", "metadata: {name: fast}\nvolumeBindingMode: WaitForFirstConsumer",
            List.of("provisioner: Required value")),
        c("StorageClass", "storage.k8s.io/v1", "metadata: {name: fast}\nprovisioner: p\nvolumeBindingMode: Later\n"
            + "reclaimPolicy: Recycle",
            List.of("reclaimPolicy: Unsupported value: \"Recycle\": supported values: \"Delete\", \"Retain\"",
                "volumeBindingMode: Unsupported value: \"Later\": supported values: \"Immediate\", "
                    + "\"WaitForFirstConsumer\"")));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void kindRules(String kind, String yaml, List<String> expected) {
    assertThat(TestObjects.create(kind, yaml)).containsExactlyElementsOf(expected);
  }
}
