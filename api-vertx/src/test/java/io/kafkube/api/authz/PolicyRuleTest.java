package io.kafkube.api.authz;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.schemas.envelope.User;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One PolicyRule against one request, case by case: verbs, groups, resources, names, URLs, wildcards. */
class PolicyRuleTest {
  static final User U = new User("u", List.of("system:authenticated"), "1");

  static PolicyRule rule(String verbs, String groups, String resources, String names) {
    return PolicyRule.resources(split(verbs), split(groups), split(resources), split(names));
  }

  static PolicyRule urls(String verbs, String urls) {
    return PolicyRule.urls(split(verbs), split(urls));
  }

  /** "a,b" → [a, b]; "-" → [""] (the core group); "" → []. */
  static List<String> split(String s) {
    if (s.isEmpty()) {
      return List.of();
    }
    return Stream.of(s.split(",")).map(x -> x.equals("-") ? "" : x).toList();
  }

  /** verb group resource[/sub] [name] in the default namespace. */
  static Attributes req(String verb, String group, String resource, String name) {
    int slash = resource.indexOf('/');
    String sub = slash < 0 ? "" : resource.substring(slash + 1);
    String res = slash < 0 ? resource : resource.substring(0, slash);
    return Attributes.resource(U, verb, group, "default", res, sub, name);
  }

  static Attributes path(String verb, String path) {
    return Attributes.nonResource(U, verb, path);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        // verbs
        Arguments.of(rule("get,list", "-", "pods", ""), req("list", "", "pods", ""), true),
        Arguments.of(rule("get,list", "-", "pods", ""), req("watch", "", "pods", ""), false),
        Arguments.of(rule("*", "-", "pods", ""), req("deletecollection", "", "pods", ""), true),
        Arguments.of(rule("", "-", "pods", ""), req("get", "", "pods", "x"), false),
        // API groups: "" is the core group, not a wildcard
        Arguments.of(rule("get", "-", "deployments", ""), req("get", "apps", "deployments", "x"), false),
        Arguments.of(rule("get", "apps", "deployments", ""), req("get", "apps", "deployments", "x"), true),
        Arguments.of(rule("get", "apps", "pods", ""), req("get", "", "pods", "x"), false),
        Arguments.of(rule("get", "*", "deployments", ""), req("get", "apps", "deployments", "x"), true),
        Arguments.of(rule("get", "*", "pods", ""), req("get", "", "pods", "x"), true),
        Arguments.of(rule("get", "", "pods", ""), req("get", "", "pods", "x"), false),
        // resources and subresources
        Arguments.of(rule("get", "-", "*", ""), req("get", "", "secrets", "x"), true),
        Arguments.of(rule("get", "-", "*", ""), req("get", "", "pods/log", "x"), true),
        Arguments.of(rule("get", "-", "pods", ""), req("get", "", "pods/log", "x"), false),
        Arguments.of(rule("get", "-", "pods/log", ""), req("get", "", "pods/log", "x"), true),
        Arguments.of(rule("get", "-", "pods/log", ""), req("get", "", "pods", "x"), false),
        Arguments.of(rule("get", "*", "*/scale", ""), req("get", "apps", "deployments/scale", "x"), true),
        Arguments.of(rule("get", "*", "*/scale", ""), req("get", "apps", "deployments", "x"), false),
        Arguments.of(rule("get", "*", "*/scale", ""), req("get", "apps", "deployments/status", "x"), false),
        Arguments.of(rule("get", "*", "*/status", ""), req("get", "", "pods/xstatus", "x"), false),
        Arguments.of(rule("get", "-", "pods/*", ""), req("get", "", "pods/log", "x"), false),
        Arguments.of(rule("get", "-", "Pods", ""), req("get", "", "pods", "x"), false),
        // resource names
        Arguments.of(rule("get", "-", "configmaps", "a,b"), req("get", "", "configmaps", "b"), true),
        Arguments.of(rule("get", "-", "configmaps", "a,b"), req("get", "", "configmaps", "c"), false),
        Arguments.of(rule("list", "-", "configmaps", "a"), req("list", "", "configmaps", ""), false),
        Arguments.of(rule("create", "-", "configmaps", "a"), req("create", "", "configmaps", ""), false),
        Arguments.of(rule("get", "-", "configmaps", "*"), req("get", "", "configmaps", "a"), false),
        // a resource rule never matches a path, a URL rule never a resource
        Arguments.of(rule("*", "*", "*", ""), path("get", "/healthz"), false),
        Arguments.of(urls("*", "*"), req("get", "", "pods", "x"), false),
        // non-resource URLs: exact, "*" and a trailing "*" as a prefix
        Arguments.of(urls("get", "/healthz"), path("get", "/healthz"), true),
        Arguments.of(urls("get", "/healthz"), path("get", "/healthz/etcd"), false),
        Arguments.of(urls("get", "/healthz/*"), path("get", "/healthz/etcd"), true),
        Arguments.of(urls("get", "/healthz/*"), path("get", "/healthz"), false),
        Arguments.of(urls("get", "/api*"), path("get", "/apis/apps/v1"), true),
        Arguments.of(urls("get", "*"), path("get", "/anything/at/all"), true),
        Arguments.of(urls("get", "/version"), path("post", "/version"), false),
        Arguments.of(urls("*", "/version"), path("post", "/version"), true));
  }

  @ParameterizedTest(name = "{0} vs {1} → {2}")
  @MethodSource("cases")
  void matches(PolicyRule rule, Attributes request, boolean allowed) {
    assertThat(rule.allows(request)).isEqualTo(allowed);
  }

  @Test
  void rulesReadFromARoleInKubernetesJson() throws Exception {
    var role = io.kafkube.api.http.Json.MAPPER.readTree("""
        {"kind":"Role","rules":[
          {"verbs":["get"],"apiGroups":[""],"resources":["pods","pods/log"]},
          {"verbs":["update"],"apiGroups":["apps"],"resources":["deployments"],"resourceNames":["web"]},
          {"verbs":["get"],"nonResourceURLs":["/metrics"]}]}""");
    assertThat(PolicyRule.fromRole(role)).containsExactly(
        rule("get", "-", "pods,pods/log", ""),
        rule("update", "apps", "deployments", "web"),
        urls("get", "/metrics"));
  }
}
