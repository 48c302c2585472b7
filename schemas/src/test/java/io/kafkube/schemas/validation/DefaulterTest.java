package io.kafkube.schemas.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkube.schemas.json.KubeJson;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class DefaulterTest {
  static final String POD = """
      apiVersion: v1
      kind: Pod
      metadata: {name: web, namespace: default}
      spec:
        containers:
        - name: app
          image: nginx
          ports: [{containerPort: 80}]
          resources: {limits: {cpu: 500m}}
          livenessProbe: {httpGet: {port: 80}}
          env: [{name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
        volumes:
        - {name: scratch}
        - {name: cfg, configMap: {name: cfg}}
      """;
  static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: default}
      spec:
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec: {containers: [{name: app, image: nginx:1.27}]}
      """;
  static final String STATEFULSET = """
      apiVersion: apps/v1
      kind: StatefulSet
      metadata: {name: db, namespace: default}
      spec:
        serviceName: db
        selector: {matchLabels: {app: db}}
        template:
          metadata: {labels: {app: db}}
          spec: {containers: [{name: db, image: postgres:16}]}
        volumeClaimTemplates:
        - metadata: {name: data}
          spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
      """;
  static final String DAEMONSET = DEPLOYMENT.replace("kind: Deployment", "kind: DaemonSet");
  static final String JOB = """
      apiVersion: batch/v1
      kind: Job
      metadata: {name: pi, namespace: default}
      spec:
        template:
          metadata: {labels: {app: pi}}
          spec: {containers: [{name: pi, image: perl}], restartPolicy: Never}
      """;
  static final String CRONJOB = """
      apiVersion: batch/v1
      kind: CronJob
      metadata: {name: hello, namespace: default}
      spec:
        schedule: "@hourly"
        jobTemplate:
          spec:
            template:
              spec: {containers: [{name: c, image: busybox}], restartPolicy: OnFailure}
      """;
  static final String SERVICE = """
      apiVersion: v1
      kind: Service
      metadata: {name: web, namespace: default}
      spec: {selector: {app: web}, ports: [{port: 80}]}
      """;

  static JsonNode defaulted(String kind, String yaml) {
    return KubeJson.toJson(TestObjects.defaulted(kind, yaml));
  }

  static Stream<Arguments> defaults() {
    return Stream.of(
        Arguments.of("Pod", POD, Map.ofEntries(
            Map.entry("/spec/restartPolicy", "\"Always\""),
            Map.entry("/spec/dnsPolicy", "\"ClusterFirst\""),
            Map.entry("/spec/terminationGracePeriodSeconds", "30"),
            Map.entry("/spec/schedulerName", "\"default-scheduler\""),
            Map.entry("/spec/securityContext", "{}"),
            Map.entry("/spec/enableServiceLinks", "true"),
            Map.entry("/spec/priority", "0"),
            Map.entry("/spec/preemptionPolicy", "\"PreemptLowerPriority\""),
            Map.entry("/spec/containers/0/imagePullPolicy", "\"Always\""),
            Map.entry("/spec/containers/0/terminationMessagePath", "\"/dev/termination-log\""),
            Map.entry("/spec/containers/0/terminationMessagePolicy", "\"File\""),
            Map.entry("/spec/containers/0/ports/0/protocol", "\"TCP\""),
            Map.entry("/spec/containers/0/resources/requests", "{\"cpu\":\"500m\"}"),
            Map.entry("/spec/containers/0/livenessProbe/timeoutSeconds", "1"),
            Map.entry("/spec/containers/0/livenessProbe/periodSeconds", "10"),
            Map.entry("/spec/containers/0/livenessProbe/successThreshold", "1"),
            Map.entry("/spec/containers/0/livenessProbe/failureThreshold", "3"),
            Map.entry("/spec/containers/0/livenessProbe/httpGet/scheme", "\"HTTP\""),
            Map.entry("/spec/containers/0/livenessProbe/httpGet/path", "\"/\""),
            Map.entry("/spec/containers/0/env/0/valueFrom/fieldRef/apiVersion", "\"v1\""),
            Map.entry("/spec/volumes/0/emptyDir", "{}"),
            Map.entry("/spec/volumes/1/configMap/defaultMode", "420"))),
        Arguments.of("Deployment", DEPLOYMENT, Map.of(
            "/spec/replicas", "1",
            "/spec/strategy", "{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":\"25%\",\"maxSurge\":\"25%\"}}",
            "/spec/revisionHistoryLimit", "10",
            "/spec/progressDeadlineSeconds", "600",
            "/spec/template/spec/restartPolicy", "\"Always\"",
            "/spec/template/spec/containers/0/imagePullPolicy", "\"IfNotPresent\"",
            "/spec/template/spec/enableServiceLinks", "",
            "/spec/template/spec/priority", "")),
        Arguments.of("ReplicaSet", DEPLOYMENT.replace("kind: Deployment", "kind: ReplicaSet"), Map.of(
            "/spec/replicas", "1", "/spec/template/spec/dnsPolicy", "\"ClusterFirst\"", "/spec/strategy", "")),
        Arguments.of("StatefulSet", STATEFULSET, Map.of(
            "/spec/replicas", "1",
            "/spec/podManagementPolicy", "\"OrderedReady\"",
            "/spec/updateStrategy", "{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":0}}",
            "/spec/revisionHistoryLimit", "10",
            "/spec/persistentVolumeClaimRetentionPolicy", "{\"whenDeleted\":\"Retain\",\"whenScaled\":\"Retain\"}",
            "/spec/volumeClaimTemplates/0/spec/volumeMode", "\"Filesystem\"",
            "/spec/volumeClaimTemplates/0/status/phase", "\"Pending\"")),
        Arguments.of("DaemonSet", DAEMONSET, Map.of(
            "/spec/updateStrategy", "{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":1,\"maxSurge\":0}}",
            "/spec/revisionHistoryLimit", "10")),
        Arguments.of("Job", JOB, Map.of(
            "/spec/completions", "1", "/spec/parallelism", "1", "/spec/backoffLimit", "6",
            "/spec/completionMode", "\"NonIndexed\"", "/spec/suspend", "false",
            "/spec/podReplacementPolicy", "\"TerminatingOrFailed\"", "/spec/manualSelector", "",
            "/metadata/labels", "{\"app\":\"pi\"}", "/spec/template/spec/dnsPolicy", "\"ClusterFirst\"")),
        Arguments.of("Job", JOB.replace("spec:\n  template", "spec:\n  parallelism: 4\n  template"), Map.of(
            "/spec/completions", "", "/spec/parallelism", "4")),
        Arguments.of("Job", JOB.replace(", restartPolicy: Never", ""), Map.of("/spec/template/spec/restartPolicy", "")),
        Arguments.of("CronJob", CRONJOB, Map.of(
            "/spec/concurrencyPolicy", "\"Allow\"", "/spec/suspend", "false",
            "/spec/successfulJobsHistoryLimit", "3", "/spec/failedJobsHistoryLimit", "1",
            "/spec/jobTemplate/spec/template/spec/schedulerName", "\"default-scheduler\"",
            "/spec/jobTemplate/spec/backoffLimit", "")),
        Arguments.of("Service", SERVICE, Map.of(
            "/spec/type", "\"ClusterIP\"", "/spec/sessionAffinity", "\"None\"",
            "/spec/ports/0/protocol", "\"TCP\"", "/spec/ports/0/targetPort", "80",
            "/spec/internalTrafficPolicy", "\"Cluster\"", "/spec/ipFamilyPolicy", "\"SingleStack\"",
            "/spec/externalTrafficPolicy", "")),
        Arguments.of("Service", SERVICE.replace("spec: {", "spec: {type: NodePort, "), Map.of(
            "/spec/externalTrafficPolicy", "\"Cluster\"", "/spec/internalTrafficPolicy", "\"Cluster\"")),
        Arguments.of("Service", SERVICE.replace("spec: {", "spec: {type: LoadBalancer, "), Map.of(
            "/spec/externalTrafficPolicy", "\"Cluster\"", "/spec/allocateLoadBalancerNodePorts", "true")),
        Arguments.of("Service", SERVICE.replace("spec: {selector: {app: web}, ", "spec: {clusterIP: None, "), Map.of(
            "/spec/ipFamilyPolicy", "\"RequireDualStack\"")),
        Arguments.of("Service", "apiVersion: v1\nkind: Service\nmetadata: {name: x, namespace: d}\nspec: {type: ExternalName, externalName: a.b}",
            Map.of("/spec/ipFamilyPolicy", "", "/spec/internalTrafficPolicy", "")),
        Arguments.of("Secret", "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: d}", Map.of("/type", "\"Opaque\"")),
        Arguments.of("Namespace", "apiVersion: v1\nkind: Namespace\nmetadata: {name: team}", Map.of(
            "/status/phase", "\"Active\"", "/metadata/labels", "{\"kubernetes.io/metadata.name\":\"team\"}")),
        Arguments.of("PersistentVolumeClaim", "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c, namespace: d}\n"
            + "spec: {accessModes: [ReadWriteOnce]}", Map.of("/spec/volumeMode", "\"Filesystem\"", "/status/phase", "\"Pending\"")),
        Arguments.of("PersistentVolume", "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: v}\nspec: {hostPath: {path: /x}}",
            Map.of("/spec/persistentVolumeReclaimPolicy", "\"Retain\"", "/spec/volumeMode", "\"Filesystem\"",
                "/status/phase", "\"Pending\"")),
        Arguments.of("Node", "apiVersion: v1\nkind: Node\nmetadata: {name: n}\nstatus: {capacity: {cpu: \"4\", memory: 8Gi}}",
            Map.of("/status/allocatable", "{\"cpu\":\"4\",\"memory\":\"8Gi\"}")),
        Arguments.of("PriorityClass", "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: p}\nvalue: 5",
            Map.of("/preemptionPolicy", "\"PreemptLowerPriority\"")),
        Arguments.of("StorageClass", "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: s}\nprovisioner: p",
            Map.of("/reclaimPolicy", "\"Delete\"", "/volumeBindingMode", "\"Immediate\"")),
        Arguments.of("EndpointSlice", "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: e, namespace: d}\n"
            + "addressType: IPv4\nports: [{port: 80}]", Map.of("/ports/0/protocol", "\"TCP\"", "/ports/0/name", "\"\"")),
        Arguments.of("RoleBinding", "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b, namespace: d}\n"
            + "roleRef: {kind: Role, name: r}\nsubjects: [{kind: User, name: alice}, {kind: ServiceAccount, name: sa}]",
            Map.of("/roleRef/apiGroup", "\"rbac.authorization.k8s.io\"", "/subjects/0/apiGroup", "\"rbac.authorization.k8s.io\"",
                "/subjects/1/apiGroup", "")),
        Arguments.of("Ingress", "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i, namespace: d}\n"
            + "spec: {rules: [{http: {paths: [{path: /, backend: {service: {name: s, port: {number: 80}}}}]}}]}",
            Map.of("/spec/rules/0/http/paths/0/pathType", "")));
  }

  @ParameterizedTest(name = "{0} #{index}")
  @MethodSource("defaults")
  void setsKubernetesDefaults(String kind, String yaml, Map<String, String> expected) {
    JsonNode json = defaulted(kind, yaml);
    expected.forEach((pointer, value) -> {
      JsonNode n = json.at(pointer);
      assertThat(n.isMissingNode() ? "" : n.toString()).as(pointer).isEqualTo(value);
    });
  }

  @ParameterizedTest(name = "{0} #{index}")
  @MethodSource("defaults")
  void isIdempotent(String kind, String yaml, Map<String, String> ignored) {
    GenericRecord once = TestObjects.defaulted(kind, yaml);
    String first = KubeJson.toJson(once).toString();
    Defaulter.applyDefaults(TestObjects.type(kind), once);
    assertThat(KubeJson.toJson(once).toString()).isEqualTo(first);
  }

  @Test
  void neverOverwritesPresentValues() {
    String custom = """
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: default}
        spec:
          restartPolicy: Never
          dnsPolicy: Default
          terminationGracePeriodSeconds: 5
          schedulerName: mine
          enableServiceLinks: false
          priorityClassName: high
          securityContext: {runAsUser: 1000}
          containers:
          - name: app
            image: nginx:latest
            imagePullPolicy: Never
            terminationMessagePath: /tmp/x
            terminationMessagePolicy: FallbackToLogsOnError
            ports: [{containerPort: 53, protocol: UDP}]
            resources: {limits: {cpu: "1"}, requests: {cpu: 100m}}
            readinessProbe: {httpGet: {port: 80, path: /healthz, scheme: HTTPS}, timeoutSeconds: 5, periodSeconds: 7,
                             successThreshold: 2, failureThreshold: 9}
        """;
    JsonNode before = KubeJson.toJson(TestObjects.decode("Pod", custom));
    JsonNode after = defaulted("Pod", custom);
    assertThat(after.at("/spec")).isEqualTo(before.at("/spec"));
    assertThat(after.at("/spec/priority").isMissingNode()).isTrue();

    JsonNode svc = defaulted("Service", SERVICE.replace("ports: [{port: 80}]",
        "ports: [{port: 80, targetPort: http, protocol: UDP}], type: NodePort, externalTrafficPolicy: Local, sessionAffinity: ClientIP"));
    assertThat(svc.at("/spec/ports/0/targetPort").asText()).isEqualTo("http");
    assertThat(svc.at("/spec/ports/0/protocol").asText()).isEqualTo("UDP");
    assertThat(svc.at("/spec/externalTrafficPolicy").asText()).isEqualTo("Local");
    assertThat(svc.at("/spec/sessionAffinityConfig/clientIP/timeoutSeconds").asInt()).isEqualTo(10800);

    JsonNode deploy = defaulted("Deployment", DEPLOYMENT.replace("spec:\n  selector", "spec:\n  replicas: 0\n  strategy: {type: Recreate}\n  selector"));
    assertThat(deploy.at("/spec/replicas").asInt()).isZero();
    assertThat(deploy.at("/spec/strategy").toString()).isEqualTo("{\"type\":\"Recreate\"}");
  }

  @ParameterizedTest
  @CsvSource({
      "nginx, Always", "nginx:latest, Always", "nginx:1.27, IfNotPresent", "registry:5000/app, Always",
      "registry:5000/app:v2, IfNotPresent", "nginx@sha256:abc, IfNotPresent", "nginx:latest@sha256:abc, Always",
      "Nginx:latest, IfNotPresent"})
  void imagePullPolicyFollowsTheTag(String image, String policy) {
    assertThat(PodDefaults.pullPolicy(image)).isEqualTo(policy);
  }

  @Test
  void createPreparationAddsNamespaceFinalizerAndJobSelector() {
    GenericRecord ns = TestObjects.defaulted("Namespace", "apiVersion: v1\nkind: Namespace\nmetadata: {name: team}");
    Defaulter.prepareForCreate(TestObjects.type("Namespace"), ns);
    Defaulter.prepareForCreate(TestObjects.type("Namespace"), ns);
    assertThat(KubeJson.toJson(ns).at("/spec/finalizers").toString()).isEqualTo("[\"kubernetes\"]");

    GenericRecord job = TestObjects.defaulted("Job", JOB.replace("metadata: {name: pi, ", "metadata: {name: pi, uid: 0f0e, "));
    Defaulter.prepareForCreate(TestObjects.type("Job"), job);
    JsonNode json = KubeJson.toJson(job);
    assertThat(json.at("/spec/selector").toString()).isEqualTo("{\"matchLabels\":{\"batch.kubernetes.io/controller-uid\":\"0f0e\"}}");
    assertThat(json.at("/spec/template/metadata/labels").toString()).isEqualTo("{\"app\":\"pi\",\"batch.kubernetes.io/controller-uid\":"
        + "\"0f0e\",\"batch.kubernetes.io/job-name\":\"pi\",\"controller-uid\":\"0f0e\",\"job-name\":\"pi\"}");
    assertThat(ObjectValidator.validateCreate(TestObjects.type("Job"), job)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{}                                                                         | BestEffort",
      "{limits: {cpu: 500m}}                                                      | Burstable",
      "{requests: {cpu: 100m, memory: 64Mi}}                                      | Burstable",
      "{limits: {cpu: 500m, memory: 128Mi}}                                       | Guaranteed",
      "{limits: {cpu: '1', memory: 1Gi}, requests: {cpu: 1000m, memory: 1024Mi}} | Guaranteed",
      "{limits: {cpu: '1', memory: 1Gi}, requests: {cpu: 500m, memory: 1Gi}}     | Burstable"})
  void createPreparationResetsPodStatusToPendingWithItsQosClass(String resources, String qos) {
    GenericRecord pod = TestObjects.defaulted("Pod", "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: d}\n"
        + "spec: {containers: [{name: a, image: busybox, resources: " + resources + "}]}\n"
        + "status: {phase: Running, podIP: 10.0.0.1}");
    Defaulter.prepareForCreate(TestObjects.type("Pod"), pod);
    assertThat(KubeJson.toJson(pod).get("status").toString())
        .isEqualTo("{\"phase\":\"Pending\",\"qosClass\":\"" + qos + "\"}");
  }

  @Test
  void defaultedSamplesAreValid() {
    for (Object[] c : List.of(new Object[] {"Pod", POD}, new Object[] {"Deployment", DEPLOYMENT},
        new Object[] {"StatefulSet", STATEFULSET}, new Object[] {"DaemonSet", DAEMONSET}, new Object[] {"CronJob", CRONJOB},
        new Object[] {"Service", SERVICE})) {
      assertThat(TestObjects.create((String) c[0], (String) c[1])).as((String) c[0]).isEmpty();
    }
  }
}
