package io.kafkube.schemas.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.schemas.resource.ResourceRegistry;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NameValidationTest {
  @ParameterizedTest
  @ValueSource(strings = {"a", "abc", "a-b", "0", "123-abc", "a1234567890123456789012345678901234567890123456789012345678901b"})
  void validDnsLabels(String v) {
    assertThat(NameValidation.isDns1123Label(v)).isEmpty();
  }

  @Test
  void dnsLabelMessagesAreKubernetes() {
    assertThat(NameValidation.isDns1123Label("My_Name")).containsExactly(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end "
            + "with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
            + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
    assertThat(NameValidation.isDns1123Label("a.b")).containsExactly("must not contain dots");
    assertThat(NameValidation.isDns1123Label("a".repeat(64))).containsExactly("must be no more than 63 characters");
    assertThat(NameValidation.isDns1123Label("-a")).hasSize(1);
    assertThat(NameValidation.isDns1123Label("")).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"example.com", "a", "a.b.c", "my-app-1", "0.0"})
  void validSubdomains(String v) {
    assertThat(NameValidation.isDns1123Subdomain(v)).isEmpty();
  }

  @Test
  void subdomainMessages() {
    assertThat(NameValidation.isDns1123Subdomain("Web")).containsExactly(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start "
            + "and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
            + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
    assertThat(NameValidation.isDns1123Subdomain("a".repeat(254))).containsExactly("must be no more than 253 characters");
    assertThat(NameValidation.isDns1123Subdomain("a..b")).hasSize(1);
  }

  @Test
  void dns1035Label() {
    assertThat(NameValidation.isDns1035Label("my-svc")).isEmpty();
    assertThat(NameValidation.isDns1035Label("1svc")).containsExactly(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
            + "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
            + "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "system:kube-controller-manager|",
      "Admin Role|",
      ".|may not be '.'",
      "..|may not be '..'",
      "a/b|may not contain '/'",
      "a%b|may not contain '%'"})
  void pathSegmentNames(String name, String expected) {
    List<String> msgs = NameValidation.isValidPathSegmentName(name);
    if (expected == null) {
      assertThat(msgs).isEmpty();
    } else {
      assertThat(msgs).containsExactly(expected);
    }
  }

  @Test
  void generateNameMayEndInDash() {
    assertThat(NameValidation.DNS_SUBDOMAIN.validate("web-", true)).isEmpty();
    assertThat(NameValidation.DNS_SUBDOMAIN.validate("web-", false)).hasSize(1);
    assertThat(NameValidation.DNS1035_LABEL_RULE.validate("svc-", true)).isEmpty();
  }

  @Test
  void nameRulePerKind() {
    Function<String, NameValidation.NameRule> rule =
        k -> NameValidation.ruleFor(TestObjects.type(k));
    assertThat(rule.apply("Namespace")).isSameAs(NameValidation.DNS_LABEL);
    assertThat(rule.apply("Service")).isSameAs(NameValidation.DNS1035_LABEL_RULE);
    assertThat(rule.apply("Pod")).isSameAs(NameValidation.DNS_SUBDOMAIN);
    assertThat(rule.apply("Node")).isSameAs(NameValidation.DNS_SUBDOMAIN);
    assertThat(rule.apply("ConfigMap")).isSameAs(NameValidation.DNS_SUBDOMAIN);
    assertThat(rule.apply("StatefulSet")).isSameAs(NameValidation.DNS_LABEL);
    for (String k : List.of("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding")) {
      assertThat(rule.apply(k)).as(k).isSameAs(NameValidation.PATH_SEGMENT);
    }
    assertThat(ResourceRegistry.kubernetes().all()).allSatisfy(t -> assertThat(NameValidation.ruleFor(t)).isNotNull());
  }

  @Test
  void wildcardSubdomain() {
    assertThat(NameValidation.isWildcardDns1123Subdomain("*.example.com")).isEmpty();
    assertThat(NameValidation.isWildcardDns1123Subdomain("a.*.com")).hasSize(1);
  }
}
