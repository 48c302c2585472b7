package io.kafkube.schemas.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JobValidationTest {
  static String job(String specExtra, String podExtra) {
    return "apiVersion: batch/v1\nkind: Job\nmetadata: {name: pi, namespace: default}\nspec:\n"
        + TestObjects.indent(specExtra, 2)
        + "  template:\n    spec:\n      containers: [{name: pi, image: perl}]\n" + TestObjects.indent(podExtra, 6);
  }

  static String cronJob(String name, String specExtra, String podExtra) {
    return "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: " + name + ", namespace: default}\nspec:\n"
        + TestObjects.indent(specExtra, 2)
        + "  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: [{name: c, image: busybox}]\n"
        + TestObjects.indent(podExtra, 10);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("Job", job("", "restartPolicy: Never"), List.of()),
        Arguments.of("Job", job("", ""),
            List.of("spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"")),
        Arguments.of("Job", job("", "restartPolicy: Always"),
            List.of("spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"")),
        Arguments.of("Job", job("parallelism: -1\ncompletions: -1\nbackoffLimit: -1", "restartPolicy: OnFailure"),
            List.of("spec.parallelism: Invalid value: -1: must be greater than or equal to 0",
                "spec.completions: Invalid value: -1: must be greater than or equal to 0",
                "spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0")),
        Arguments.of("Job", job("completionMode: Sometimes", "restartPolicy: Never"),
            List.of("spec.completionMode: Unsupported value: \"Sometimes\": supported values: \"NonIndexed\", \"Indexed\"")),
        Arguments.of("Job", job("manualSelector: true", "restartPolicy: Never"), List.of("spec.selector: Required value")),
        Arguments.of("Job", job("manualSelector: true\nselector: {matchLabels: {a: b}}", "restartPolicy: Never"),
            List.of("spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`")),
        Arguments.of("CronJob", cronJob("hello", "schedule: \"*/1 * * * *\"", "restartPolicy: OnFailure"), List.of()),
        Arguments.of("CronJob", cronJob("hello", "schedule: foo", "restartPolicy: OnFailure"),
            List.of("spec.schedule: Invalid value: \"foo\": expected exactly 5 fields, found 1: [foo]")),
        Arguments.of("CronJob", cronJob("hello", "schedule: \"0 0 * * 7\"", "restartPolicy: OnFailure"),
            List.of("spec.schedule: Invalid value: \"0 0 * * 7\": end of range (7) above maximum (6): 7")),
        Arguments.of("CronJob", cronJob("hello", "schedule: \"TZ=UTC 0 0 * * *\"", "restartPolicy: OnFailure"),
            List.of("spec.schedule: Invalid value: \"TZ=UTC 0 0 * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead")),
        Arguments.of("CronJob", cronJob("hello", "schedule: \"@daily\"\ntimeZone: Mars/Olympus", "restartPolicy: OnFailure"),
            List.of("spec.timeZone: Invalid value: \"Mars/Olympus\": unknown time zone Mars/Olympus")),
        Arguments.of("CronJob", cronJob("hello", "schedule: \"@daily\"\ntimeZone: Europe/Paris", "restartPolicy: OnFailure"), List.of()),
        Arguments.of("CronJob", cronJob("hello", "schedule: \"@daily\"\nconcurrencyPolicy: Sometimes", "restartPolicy: OnFailure"),
            List.of("spec.concurrencyPolicy: Unsupported value: \"Sometimes\": supported values: \"Allow\", \"Forbid\", \"Replace\"")),
        Arguments.of("CronJob", cronJob("hello", "schedule: \"@daily\"", ""),
            List.of("spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"")),
        Arguments.of("CronJob", cronJob("a".repeat(53), "schedule: \"@daily\"", "restartPolicy: Never"),
            List.of("metadata.name: Invalid value: \"" + "a".repeat(53) + "\": must be no more than 52 characters")));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void batchRules(String kind, String yaml, List<String> expected) {
    assertThat(TestObjects.create(kind, yaml)).containsExactlyElementsOf(expected);
  }
}
