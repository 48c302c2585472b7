package io.kafkube.schemas.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WorkloadValidationTest {
  static String workload(String kind, String specExtra, String selector, String templateLabels, String podExtra) {
    return "apiVersion: apps/v1\nkind: " + kind + "\nmetadata: {name: web, namespace: default}\nspec:\n"
        + TestObjects.indent(specExtra, 2)
        + (selector == null ? "" : "  selector: " + selector + "\n")
        + "  template:\n    metadata: {labels: " + templateLabels + "}\n    spec:\n"
        + "      containers: [{name: app, image: nginx}]\n" + TestObjects.indent(podExtra, 6);
  }

  static Stream<Arguments> cases() {
    String sel = "{matchLabels: {app: web}}";
    String labels = "{app: web}";
    return Stream.of(
        Arguments.of(workload("Deployment", "", sel, labels, ""), List.of()),
        Arguments.of(workload("Deployment", "replicas: -1", sel, labels, ""),
            List.of("spec.replicas: Invalid value: -1: must be greater than or equal to 0")),
        Arguments.of(workload("Deployment", "", null, labels, ""), List.of("spec.selector: Required value")),
        Arguments.of(workload("Deployment", "", sel, "{app: other}", ""),
            List.of("spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`")),
        Arguments.of(workload("Deployment", "", "{}", labels, ""),
            List.of("spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
                + "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment")),
        Arguments.of(workload("Deployment", "", "{matchExpressions: [{key: app, operator: In}]}", labels, ""),
            List.of("spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
                "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:"
                    + "[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:\"app\", Operator:\"In\", "
                    + "Values:[]string(nil)}}}: invalid label selector")),
        Arguments.of(workload("Deployment", "", sel, labels, "restartPolicy: OnFailure"),
            List.of("spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\"")),
        Arguments.of(workload("Deployment", "", sel, labels, "activeDeadlineSeconds: 10"),
            List.of("spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported")),
        Arguments.of(workload("Deployment", "strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: 0}}", sel, labels, ""),
            List.of("spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, "
                + "StrVal:\"\"}: may not be 0 when `maxSurge` is 0")),
        Arguments.of(workload("Deployment", "strategy: {rollingUpdate: {maxUnavailable: 120%}}", sel, labels, ""),
            List.of("spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, "
                + "StrVal:\"120%\"}: must not be greater than 100%")),
        Arguments.of(workload("Deployment", "strategy: {rollingUpdate: {maxSurge: lots}}", sel, labels, ""),
            List.of("spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, "
                + "StrVal:\"lots\"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. "
                + "'1%',  or '93%', regex used for validation is '[0-9]+%')")),
        Arguments.of(workload("Deployment", "strategy: {type: Recreate, rollingUpdate: {maxSurge: 1}}", sel, labels, ""),
            List.of("spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'")),
        Arguments.of(workload("Deployment", "strategy: {type: BlueGreen}", sel, labels, ""),
            List.of("spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:\"BlueGreen\", "
                + "RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: \"Recreate\", \"RollingUpdate\"")),
        Arguments.of(workload("Deployment", "progressDeadlineSeconds: 5\nminReadySeconds: 10", sel, labels, ""),
            List.of("spec.progressDeadlineSeconds: Invalid value: 5: must be greater than minReadySeconds")),
        Arguments.of(workload("ReplicaSet", "replicas: -2", sel, labels, ""),
            List.of("spec.replicas: Invalid value: -2: must be greater than or equal to 0")),
        Arguments.of(workload("StatefulSet", "serviceName: web", sel, labels, ""), List.of()),
        Arguments.of(workload("StatefulSet", "podManagementPolicy: Random", sel, labels, ""),
            List.of("spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'")),
        Arguments.of(workload("StatefulSet", "updateStrategy: {rollingUpdate: {partition: -1}}", sel, labels, ""),
            List.of("spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0")),
        Arguments.of(workload("StatefulSet", "persistentVolumeClaimRetentionPolicy: {whenDeleted: Keep}", sel, labels, ""),
            List.of("spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: \"Keep\": supported values: \"Retain\", \"Delete\"")),
        Arguments.of(workload("StatefulSet", "", sel, labels, "activeDeadlineSeconds: 10"),
            List.of("spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported")),
        Arguments.of(workload("DaemonSet", "", sel, labels, ""), List.of()),
        Arguments.of(workload("DaemonSet", "updateStrategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 1}}", sel, labels, ""),
            List.of("spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, "
                + "StrVal:\"\"}: may not be set when maxUnavailable is non-zero")),
        Arguments.of(workload("DaemonSet", "updateStrategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: 0}}", sel, labels, ""),
            List.of("spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0")),
        Arguments.of(workload("DaemonSet", "", "{matchLabels: {app: web}}", "{app: db}", ""),
            List.of("spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"db\"}: `selector` does not match template `labels`")),
        Arguments.of(workload("DaemonSet", "", sel, labels, "restartPolicy: Never"),
            List.of("spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"")));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void workloadRules(String yaml, List<String> expected) {
    String kind = yaml.lines().filter(l -> l.startsWith("kind: ")).findFirst().orElseThrow().substring(6);
    assertThat(TestObjects.create(kind, yaml)).containsExactlyElementsOf(expected);
  }
}
