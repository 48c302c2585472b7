package io.kafkube.schemas.validation;

import static io.kafkube.schemas.validation.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class UpdateValidationTest {
  @Test
  void podImageActiveDeadlineAndTolerationAdditionsMayChange() {
    String old = pod("activeDeadlineSeconds: 100\ntolerations: [{key: a, operator: Exists}]", "");
    String now = pod("activeDeadlineSeconds: 50\ntolerations: [{key: a, operator: Exists}, {key: b, operator: Exists}]", "")
        .replace("nginx:1.27", "nginx:1.28");
    assertThat(TestObjects.update("Pod", now, old)).isEmpty();
  }

  @Test
  void otherPodSpecChangesAreForbidden() {
    List<String> msgs = TestObjects.update("Pod", pod("restartPolicy: Never", ""), pod("", ""));
    assertThat(msgs).hasSize(1);
    assertThat(msgs.get(0)).startsWith("spec: Forbidden: pod updates may not change fields other than "
        + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` "
        + "(only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it "
        + "was previously negative)\n").contains("RestartPolicy: \"Always\"").contains("RestartPolicy: \"Never\"");
  }

  @Test
  void podUpdateRules() {
    assertThat(TestObjects.update("Pod", pod("activeDeadlineSeconds: 200", ""), pod("activeDeadlineSeconds: 100", "")))
        .containsExactly("spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value");
    assertThat(TestObjects.update("Pod", pod("", ""), pod("activeDeadlineSeconds: 100", "")))
        .containsExactly("spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value");
    assertThat(TestObjects.update("Pod", pod("tolerations: [{key: b, operator: Exists}]", ""),
        pod("tolerations: [{key: a, operator: Exists}]", "")))
        .containsExactly("spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds");
    assertThat(TestObjects.update("Pod", pod("initContainers: [{name: i, image: busybox}]", ""), pod("", "")))
        .containsExactly("spec.initContainers: Forbidden: pod updates may not add or remove containers");
  }

  @Test
  void metadataIdentityIsImmutable() {
    String old = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: default, uid: u1, generation: 2}";
    assertThat(TestObjects.update("ConfigMap",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: other, uid: u2, generation: 1}", old))
        .containsExactly("metadata.generation: Invalid value: 1: must not be decremented",
            "metadata.name: Invalid value: \"b\": field is immutable",
            "metadata.namespace: Invalid value: \"other\": field is immutable",
            "metadata.uid: Invalid value: \"u2\": field is immutable");
    // an update that leaves uid out keeps the stored one
    assertThat(TestObjects.update("ConfigMap", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: default}", old))
        .isEmpty();
  }

  @Test
  void noNewFinalizersWhileDeleting() {
    String old = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: default, deletionTimestamp: \"2024-01-01T00:00:00Z\","
        + " finalizers: [example.com/a]}";
    String now = old.replace("[example.com/a]", "[example.com/a, example.com/b]");
    assertThat(TestObjects.update("ConfigMap", now, old)).containsExactly("metadata.finalizers: Forbidden: no new finalizers "
        + "can be added if the object is being deleted, found new finalizers []string{\"example.com/b\"}");
  }

  @Test
  void workloadSelectorsAreImmutable() {
    String old = WorkloadValidationTest.workload("Deployment", "", "{matchLabels: {app: a}}", "{app: a, tier: b}", "");
    String now = WorkloadValidationTest.workload("Deployment", "replicas: 5", "{matchLabels: {app: a, tier: b}}",
        "{app: a, tier: b}", "");
    assertThat(TestObjects.update("Deployment", now, old)).containsExactly("spec.selector: Invalid value: "
        + "v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"a\", \"tier\":\"b\"}, "
        + "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable");
    for (String kind : List.of("ReplicaSet", "DaemonSet")) {
      assertThat(TestObjects.update(kind, WorkloadValidationTest.workload(kind, "", "{matchLabels: {app: b}}", "{app: b}", ""),
          WorkloadValidationTest.workload(kind, "", "{matchLabels: {app: a}}", "{app: a}", ""))).as(kind).hasSize(1);
    }
  }

  @Test
  void statefulSetSpecIsMostlyImmutable() {
    String old = WorkloadValidationTest.workload("StatefulSet", "serviceName: a", "{matchLabels: {app: a}}", "{app: a}", "");
    assertThat(TestObjects.update("StatefulSet", old.replace("serviceName: a", "serviceName: b"), old))
        .containsExactly("spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', "
            + "'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and "
            + "'minReadySeconds' are forbidden");
    assertThat(TestObjects.update("StatefulSet", old.replace("serviceName: a", "serviceName: a\n  replicas: 3")
        .replace("image: nginx", "image: nginx:2"), old)).isEmpty();
  }

  @Test
  void jobTemplateIsImmutable() {
    String old = JobValidationTest.job("", "restartPolicy: Never");
    assertThat(TestObjects.update("Job", old.replace("image: perl", "image: perl:5"), old))
        .containsExactly("spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable");
    assertThat(TestObjects.update("Job", old.replaceFirst("spec:\n", "spec:\n  parallelism: 3\n  completions: 1\n"), old)).isEmpty();
  }

  @Test
  void immutableConfigMapsAndSecrets() {
    String old = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: default}\nimmutable: true\ndata: {k: v}";
    assertThat(TestObjects.update("ConfigMap", old.replace("{k: v}", "{k: w}"), old))
        .containsExactly("data: Forbidden: field is immutable when `immutable` is set");
    assertThat(TestObjects.update("ConfigMap", old.replace("immutable: true", "immutable: false"), old))
        .containsExactly("immutable: Forbidden: field is immutable when `immutable` is set");
    String secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: a, namespace: default}\nimmutable: true\ndata: {k: dg==}";
    assertThat(TestObjects.update("Secret", secret.replace("dg==", "dw=="), secret))
        .containsExactly("data: Forbidden: field is immutable when `immutable` is set");
    String mutable = secret.replace("immutable: true\n", "");
    assertThat(TestObjects.update("Secret", mutable.replace("dg==", "dw=="), mutable)).isEmpty();
    assertThat(TestObjects.update("Secret", mutable.replace("\ndata:", "\ntype: example.com/other\ndata:"), mutable))
        .containsExactly("type: Invalid value: \"example.com/other\": field is immutable");
  }

  @Test
  void claimSpecIsImmutableButBoundClaimsMayGrow() {
    String old = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: a, namespace: default}\n"
        + "spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\nstatus: {phase: Bound}";
    List<String> msgs = TestObjects.update("PersistentVolumeClaim", old.replace("[ReadWriteOnce]", "[ReadWriteMany]"), old);
    assertThat(msgs).hasSize(1);
    assertThat(msgs.get(0)).startsWith("spec: Forbidden: spec is immutable after creation except resources.requests and "
        + "volumeAttributesClassName for bound claims\n");
    assertThat(TestObjects.update("PersistentVolumeClaim", old.replace("1Gi", "2Gi"), old)).isEmpty();
    assertThat(TestObjects.update("PersistentVolumeClaim", old.replace("{storage: 1Gi}", "{storage: 512Mi}"), old))
        .containsExactly("spec.resources.requests.storage: Forbidden: field can not be less than previous value");
    assertThat(TestObjects.update("PersistentVolumeClaim", old.replace("spec: {", "spec: {volumeName: pv-1, "), old)).isEmpty();
  }

  @Test
  void serviceClusterIPMayNotChange() {
    String old = ServiceValidationTest.svc("clusterIP: 10.96.0.10\nports: [{port: 80}]");
    assertThat(TestObjects.update("Service", old.replace("10.96.0.10", "10.96.0.11"), old))
        .containsExactly("spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.11\"}: may not change once set");
    assertThat(TestObjects.update("Service", old.replace("clusterIP: 10.96.0.10\n", ""), old)).isEmpty();
  }

  @Test
  void roleRefMayNotChange() {
    String old = "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: a, namespace: default}\n"
        + "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: view}";
    assertThat(TestObjects.update("RoleBinding", old.replace("name: view", "name: edit"), old))
        .containsExactly("roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"Role\", "
            + "Name:\"edit\"}: cannot change roleRef");
  }

  @Test
  void priorityClassValueMayNotChange() {
    String old = "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: high}\nvalue: 100";
    assertThat(TestObjects.update("PriorityClass", old.replace("100", "200"), old))
        .containsExactly("value: Forbidden: may not be changed in an update.");
  }

  @Test
  void aStorageClassKeepsItsProvisionerParametersAndModes() {
    String old = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: s}\nprovisioner: p\n"
        + "parameters: {type: ssd}\nvolumeBindingMode: Immediate\nreclaimPolicy: Delete";
    assertThat(TestObjects.update("StorageClass", old + "\nallowVolumeExpansion: true", old)).isEmpty();
    assertThat(TestObjects.update("StorageClass", old.replace("Immediate", "WaitForFirstConsumer")
        .replace("type: ssd", "type: hdd").replace("provisioner: p", "provisioner: q"), old)).containsExactly(
        "parameters: Forbidden: updates to parameters are forbidden.",
        "provisioner: Forbidden: updates to provisioner are forbidden.",
        "volumeBindingMode: Invalid value: \"WaitForFirstConsumer\": field is immutable");
  }
}
