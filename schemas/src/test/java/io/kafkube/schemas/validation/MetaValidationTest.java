package io.kafkube.schemas.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MetaValidationTest {
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("ConfigMap", "metadata: {name: cfg, namespace: default}", List.of()),
        Arguments.of("ConfigMap", "metadata: {generateName: cfg-, namespace: default}", List.of()),
        Arguments.of("ConfigMap", "metadata: {namespace: default}",
            List.of("metadata.name: Required value: name or generateName is required")),
        Arguments.of("ConfigMap", "metadata: {name: cfg}", List.of("metadata.namespace: Required value")),
        Arguments.of("ConfigMap", "metadata: {name: Cfg_1, namespace: default}",
            List.of("metadata.name: Invalid value: \"Cfg_1\": a lowercase RFC 1123 subdomain must consist of lower case "
                + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
                + "'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")),
        Arguments.of("ConfigMap", "metadata: {name: cfg, namespace: My.NS}",
            List.of("metadata.namespace: Invalid value: \"My.NS\": a lowercase RFC 1123 label must consist of lower case "
                + "alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  "
                + "or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")),
        Arguments.of("Namespace", "metadata: {name: team.a}", List.of("metadata.name: Invalid value: \"team.a\": must not contain dots")),
        Arguments.of("Namespace", "metadata: {name: team-a, namespace: default}",
            List.of("metadata.namespace: Forbidden: not allowed on this type")),
        Arguments.of("Service", "metadata: {name: 1web, namespace: default}\nspec: {clusterIP: None}",
            List.of("metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric "
                + "characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. "
                + "'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")),
        Arguments.of("ClusterRole", "metadata: {name: \"system:controller:job-controller\"}", List.of()),
        Arguments.of("ClusterRole", "metadata: {name: a/b}", List.of("metadata.name: Invalid value: \"a/b\": may not contain '/'")),
        Arguments.of("ConfigMap", "metadata: {name: cfg, namespace: default, labels: {app: -web}}",
            List.of("metadata.labels: Invalid value: \"-web\": a valid label must be an empty string or consist of "
                + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. "
                + "'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")),
        Arguments.of("ConfigMap", "metadata: {name: cfg, namespace: default, labels: {/app: web}}",
            List.of("metadata.labels: Invalid value: \"/app\": prefix part must be non-empty")),
        Arguments.of("ConfigMap", "metadata: {name: cfg, namespace: default, annotations: {a/b/c: x}}",
            List.of("metadata.annotations: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric "
                + "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or "
                + "'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an "
                + "optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')")),
        Arguments.of("ConfigMap", "metadata: {name: cfg, namespace: default, finalizers: [example.com/cleanup, -bad]}",
            List.of("metadata.finalizers: Invalid value: \"-bad\": name part must consist of alphanumeric characters, "
                + "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  "
                + "or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")),
        Arguments.of("ConfigMap", "metadata: {name: cfg, namespace: default, finalizers: [orphan, foregroundDeletion]}",
            List.of("metadata.finalizers: Invalid value: []string{\"orphan\", \"foregroundDeletion\"}: finalizer orphan "
                + "and foregroundDeletion cannot be both set")));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void metadataRules(String kind, String body, List<String> expected) {
    String apiVersion = kind.equals("ClusterRole") ? "rbac.authorization.k8s.io/v1" : "v1";
    assertThat(TestObjects.create(kind, "apiVersion: " + apiVersion + "\nkind: " + kind + "\n" + body))
        .containsExactlyElementsOf(expected);
  }
}
