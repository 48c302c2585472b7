package io.kafkube.schemas.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LabelValidationTest {
  private static final String NAME_PART_REGEX = "name part must consist of alphanumeric characters, '-', '_' or '.', "
      + "and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used "
      + "for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

  @ParameterizedTest
  @ValueSource(strings = {"app", "App.Name_1", "example.com/app", "kubernetes.io/metadata.name", "a"})
  void validQualifiedNames(String v) {
    assertThat(LabelValidation.isQualifiedName(v)).isEmpty();
  }

  @Test
  void qualifiedNameMessages() {
    assertThat(LabelValidation.isQualifiedName("-app")).containsExactly(NAME_PART_REGEX);
    assertThat(LabelValidation.isQualifiedName("/app")).containsExactly("prefix part must be non-empty");
    assertThat(LabelValidation.isQualifiedName("Example.com/app")).containsExactly("prefix part a lowercase RFC 1123 "
        + "subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an "
        + "alphanumeric character (e.g. 'example.com', regex used for validation is "
        + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
    assertThat(LabelValidation.isQualifiedName("a/b/c")).containsExactly("a qualified name must consist of alphanumeric "
        + "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or "
        + "'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an "
        + "optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
    assertThat(LabelValidation.isQualifiedName("")).containsExactly("name part must be non-empty", NAME_PART_REGEX);
    assertThat(LabelValidation.isQualifiedName("a".repeat(64))).containsExactly("name part must be no more than 63 characters");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "v1", "my_value", "1.2.3", "A-b"})
  void validLabelValues(String v) {
    assertThat(LabelValidation.isValidLabelValue(v)).isEmpty();
  }

  @Test
  void labelValueMessages() {
    assertThat(LabelValidation.isValidLabelValue("bad value")).containsExactly("a valid label must be an empty string "
        + "or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
        + "character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is "
        + "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
    assertThat(LabelValidation.isValidLabelValue("a".repeat(64))).containsExactly("must be no more than 63 characters");
  }

  @Test
  void labelMapErrorsAreReportedOnTheMapPath() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("ok", "fine");
    labels.put("app", "-x");
    List<String> msgs = TestObjects.messages(LabelValidation.validateLabels(labels, FieldPath.of("metadata", "labels")));
    assertThat(msgs).hasSize(1);
    assertThat(msgs.get(0)).startsWith("metadata.labels: Invalid value: \"-x\": a valid label must be");
  }

  @Test
  void annotationsSizeAndKeys() {
    Map<String, String> ann = Map.of("Example.com/Key", "x", "big", "y".repeat(256 * 1024));
    List<String> msgs = TestObjects.messages(LabelValidation.validateAnnotations(ann, FieldPath.of("metadata", "annotations")));
    // keys are checked lower-cased, so an upper-case prefix is fine for annotations
    assertThat(msgs).containsExactly("metadata.annotations: Too long: may not be more than 262144 bytes");
    assertThat(LabelValidation.validateAnnotations(Map.of("k", "y".repeat(256 * 1024 - 1)), FieldPath.root())).isEmpty();
  }
}
