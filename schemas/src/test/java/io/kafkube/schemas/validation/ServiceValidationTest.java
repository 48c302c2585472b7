package io.kafkube.schemas.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServiceValidationTest {
  static String svc(String spec) {
    return "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: default}\nspec:\n" + TestObjects.indent(spec, 2);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(svc("selector: {app: web}\nports: [{port: 80, targetPort: http}]"), List.of()),
        Arguments.of(svc("selector: {app: web}"), List.of("spec.ports: Required value")),
        Arguments.of(svc("clusterIP: None\nselector: {app: web}"), List.of()),
        Arguments.of(svc("type: ExternalName\nexternalName: db.example.com."), List.of()),
        Arguments.of(svc("type: ExternalName"), List.of("spec.externalName: Required value")),
        Arguments.of(svc("ports: [{port: 0}]"),
            // targetPort defaults to port, so Kubernetes reports both
            List.of("spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
                "spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive")),
        Arguments.of(svc("ports: [{port: 80, protocol: HTTP}]"),
            List.of("spec.ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"")),
        Arguments.of(svc("ports: [{port: 80, targetPort: 70000}]"),
            List.of("spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive")),
        Arguments.of(svc("ports: [{port: 80, targetPort: HTTP}]"),
            List.of("spec.ports[0].targetPort: Invalid value: \"HTTP\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
                "spec.ports[0].targetPort: Invalid value: \"HTTP\": must contain at least one letter (a-z)")),
        Arguments.of(svc("ports: [{port: 80}, {port: 81}]"),
            List.of("spec.ports[0].name: Required value", "spec.ports[1].name: Required value")),
        Arguments.of(svc("ports: [{port: 80, name: a}, {port: 80, name: b}]"),
            List.of("spec.ports[1]: Duplicate value: core.ServicePort{Name:\"\", Protocol:\"TCP\", AppProtocol:(*string)(nil), "
                + "Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}")),
        Arguments.of(svc("type: Balanced\nports: [{port: 80}]"),
            List.of("spec.type: Unsupported value: \"Balanced\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"")),
        Arguments.of(svc("type: NodePort\nports: [{port: 80, nodePort: 8080}]"),
            List.of("spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767")),
        Arguments.of(svc("ports: [{port: 80, nodePort: 30080}]"),
            List.of("spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'")),
        Arguments.of(svc("type: NodePort\nclusterIP: None\nports: [{port: 80}]"),
            List.of("spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services")),
        Arguments.of(svc("clusterIP: 10.0.0.300\nports: [{port: 80}]"),
            List.of("spec.clusterIPs[0]: Invalid value: \"10.0.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")),
        Arguments.of(svc("sessionAffinity: Sticky\nports: [{port: 80}]"),
            List.of("spec.sessionAffinity: Unsupported value: \"Sticky\": supported values: \"ClientIP\", \"None\"")),
        Arguments.of(svc("externalTrafficPolicy: Local\nports: [{port: 80}]"),
            List.of("spec.externalTrafficPolicy: Invalid value: \"Local\": may only be set for externally-accessible services")),
        Arguments.of(svc("selector: {app: -web}\nports: [{port: 80}]"),
            List.of("spec.selector: Invalid value: \"-web\": a valid label must be an empty string or consist of alphanumeric "
                + "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
                + "'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void serviceRules(String yaml, List<String> expected) {
    assertThat(TestObjects.create("Service", yaml)).containsExactlyElementsOf(expected);
  }
}
