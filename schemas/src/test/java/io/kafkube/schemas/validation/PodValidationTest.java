package io.kafkube.schemas.validation;

import static io.kafkube.schemas.validation.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodValidationTest {
  private static final String C = "spec.containers[0].";

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("", "", List.of()),
        Arguments.of("restartPolicy: Sometimes", "",
            List.of("spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"")),
        Arguments.of("dnsPolicy: Google", "", List.of("spec.dnsPolicy: Unsupported value: \"Google\": supported values: "
            + "\"ClusterFirstWithHostNet\", \"ClusterFirst\", \"Default\", \"None\"")),
        Arguments.of("initContainers: [{name: app, image: busybox}]", "",
            List.of("spec.initContainers[0].name: Duplicate value: \"app\"")),
        Arguments.of("initContainers: [{name: init, image: busybox, readinessProbe: {exec: {command: [\"true\"]}}}]", "",
            List.of("spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always")),
        Arguments.of("", "ports: [{containerPort: 70000}]",
            List.of(C + "ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive")),
        Arguments.of("", "ports: [{containerPort: 80, name: http}, {containerPort: 81, name: http}]",
            List.of(C + "ports[1].name: Duplicate value: \"http\"")),
        Arguments.of("", "ports: [{containerPort: 80, name: Web_1}]",
            List.of(C + "ports[0].name: Invalid value: \"Web_1\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")),
        Arguments.of("", "ports: [{containerPort: 80, protocol: HTTP}]",
            List.of(C + "ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"")),
        Arguments.of("", "resources: {requests: {cpu: \"2\"}, limits: {cpu: \"1\"}}",
            List.of(C + "resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1")),
        Arguments.of("", "resources: {requests: {memory: 256Mi}, limits: {memory: 128Mi}}",
            List.of(C + "resources.requests: Invalid value: \"256Mi\": must be less than or equal to memory limit of 128Mi")),
        Arguments.of("", "resources: {limits: {cpu: \"-1\"}}",
            List.of(C + "resources.limits[cpu]: Invalid value: \"-1\": must be greater than or equal to 0",
                C + "resources.requests[cpu]: Invalid value: \"-1\": must be greater than or equal to 0")),
        Arguments.of("", "resources: {limits: {gpu: \"1\"}}",
            List.of(C + "resources.limits[gpu]: Invalid value: \"gpu\": must be a standard resource for containers",
                C + "resources.requests[gpu]: Invalid value: \"gpu\": must be a standard resource for containers")),
        Arguments.of("", "resources: {requests: {example.com/foo: \"1\"}, limits: {example.com/foo: \"2\"}}",
            List.of(C + "resources.requests: Invalid value: \"1\": must be equal to example.com/foo limit of 2")),
        Arguments.of("volumes: [{name: data, emptyDir: {}}, {name: data, configMap: {name: cfg}}]", "",
            List.of("spec.volumes[1].name: Duplicate value: \"data\"")),
        Arguments.of("volumes: [{name: data, emptyDir: {}, configMap: {name: cfg}}]", "",
            List.of("spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type")),
        Arguments.of("volumes: [{name: Data, secret: {}}]", "",
            List.of("spec.volumes[0].secret.secretName: Required value",
                "spec.volumes[0].name: Invalid value: \"Data\": a lowercase RFC 1123 label must consist of lower case "
                    + "alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. "
                    + "'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")),
        Arguments.of("", "volumeMounts: [{name: data, mountPath: /data}]",
            List.of(C + "volumeMounts[0].name: Not found: \"data\"")),
        Arguments.of("volumes: [{name: data, emptyDir: {}}]",
            "volumeMounts: [{name: data, mountPath: /data}, {name: data, mountPath: /data}]",
            List.of(C + "volumeMounts[1].mountPath: Invalid value: \"/data\": must be unique")),
        Arguments.of("", "livenessProbe: {exec: {command: [\"true\"]}, tcpSocket: {port: 80}}",
            List.of(C + "livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type")),
        Arguments.of("", "readinessProbe: {periodSeconds: 5}",
            List.of(C + "readinessProbe: Required value: must specify a handler type")),
        Arguments.of("", "readinessProbe: {httpGet: {port: 8080}, periodSeconds: -1}",
            List.of(C + "readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0")),
        Arguments.of("", "livenessProbe: {httpGet: {port: 0}, successThreshold: 2}",
            List.of(C + "livenessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive",
                C + "livenessProbe.successThreshold: Invalid value: 2: must be 1")),
        Arguments.of("", "startupProbe: {tcpSocket: {port: metrics-port-too-long}}",
            List.of(C + "startupProbe.tcpSocket.port: Invalid value: \"metrics-port-too-long\": must contain between 1 and 15 characters")),
        Arguments.of("", "env: [{name: \"A=B\", value: x}, {name: \"1 weird.name\", value: y}]",
            List.of(C + "env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of "
                + "printable ASCII characters other than '='")),
        Arguments.of("", "env: [{name: X, value: v, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]",
            List.of(C + "env[0].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty")),
        Arguments.of("", "env: [{name: X, valueFrom: {fieldRef: {fieldPath: spec.hostname}}}]",
            List.of(C + "env[0].valueFrom.fieldRef.fieldPath: Unsupported value: \"spec.hostname\": supported values: "
                + "\"metadata.name\", \"metadata.namespace\", \"metadata.uid\", \"spec.nodeName\", \"spec.serviceAccountName\", "
                + "\"status.hostIP\", \"status.hostIPs\", \"status.podIP\", \"status.podIPs\"")),
        Arguments.of("", "imagePullPolicy: Sometimes",
            List.of(C + "imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\"")),
        Arguments.of("tolerations: [{key: k, operator: Exists, value: v}]", "",
            List.of("spec.tolerations[0].operator: Invalid value: core.Toleration{Key:\"k\", Operator:\"Exists\", "
                + "Value:\"v\", Effect:\"\", TolerationSeconds:(*int64)(nil)}: value must be empty when `operator` is 'Exists'")),
        Arguments.of("tolerations: [{operator: Equal, value: v}]", "",
            List.of("spec.tolerations[0].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, "
                + "which means \"match all values and all keys\"")),
        Arguments.of("activeDeadlineSeconds: 0", "",
            List.of("spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive")));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void podSpecRules(String specExtra, String containerExtra, List<String> expected) {
    assertThat(TestObjects.create("Pod", pod(specExtra, containerExtra))).containsExactlyElementsOf(expected);
  }

  @Test
  void containersAndImageAreRequired() {
    assertThat(TestObjects.create("Pod", """
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: default}
        spec: {containers: []}
        """)).containsExactly("spec.containers: Required value");
    assertThat(TestObjects.create("Pod", """
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: default}
        spec: {containers: [{name: app}]}
        """)).containsExactly("spec.containers[0].image: Required value");
  }

  @Test
  void malformedQuantityInTheRecordIsReported() {
    GenericRecord pod = TestObjects.defaulted("Pod", pod("", "resources: {limits: {cpu: \"1\"}}"));
    GenericRecord resources = (GenericRecord) ((GenericRecord) ((List<?>) ((GenericRecord) pod.get("spec"))
        .get("containers")).get(0)).get("resources");
    resources.put("limits", Map.of("cpu", "12x"));
    resources.put("requests", Map.of("memory", "--1"));
    assertThat(TestObjects.create("Pod", pod)).containsExactly(
        C + "resources.limits[cpu]: Invalid value: \"12x\": quantities must match the regular expression "
            + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
        C + "resources.requests[memory]: Invalid value: \"--1\": unable to parse quantity's suffix");
  }
}
