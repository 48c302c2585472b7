package io.kafkube.agent.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvResolverTest {
  private static final ObjectMapper M = new ObjectMapper();

  private static ConfigSource source(boolean ready) {
    return new ConfigSource() {
      @Override
      public boolean ready() {
        return ready;
      }

      @Override
      public Optional<Map<String, String>> configMap(String ns, String name) {
        return ns.equals("default") && name.equals("cfg") ? Optional.of(Map.of("mode", "fast", "LEVEL", "3",
            "bad key", "x")) : Optional.empty();
      }

      @Override
      public Optional<Map<String, String>> secret(String ns, String name) {
        return name.equals("creds") ? Optional.of(Map.of("password", "s3cret")) : Optional.empty();
      }
    };
  }

  private static final String POD = """
      {"metadata": {"name": "web-0", "namespace": "default", "uid": "u-1", "labels": {"app": "web"}},
       "spec": {"nodeName": "n1"}}""";

  @Test
  void resolvesValuesReferencesAndEnvFromInKubeletOrder() throws Exception {
    JsonNode c = M.readTree("""
        {"name": "c", "ports": [{"containerPort": 8080}],
         "envFrom": [{"configMapRef": {"name": "cfg"}, "prefix": "CFG_"}, {"secretRef": {"name": "creds"}}],
         "env": [
           {"name": "NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
           {"name": "NS", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}},
           {"name": "IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}},
           {"name": "NODE", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}},
           {"name": "APP", "valueFrom": {"fieldRef": {"fieldPath": "metadata.labels['app']"}}},
           {"name": "MODE", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "mode"}}},
           {"name": "PW", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "password"}}},
           {"name": "URL", "value": "http://$(IP):$(PORT)/$(NOPE)/$$(IP)"},
           {"name": "MISSING_OK", "valueFrom": {"configMapKeyRef": {"name": "gone", "key": "k", "optional": true}}}]}""");
    Map<String, String> env = EnvResolver.resolve(M.readTree(POD), c, "127.2.0.9", "127.0.0.1", source(true));
    assertThat(env).containsEntry("POD_IP", "127.2.0.9").containsEntry("PORT", "8080")
        .containsEntry("CFG_mode", "fast").containsEntry("CFG_LEVEL", "3").containsEntry("password", "s3cret")
        .containsEntry("NAME", "web-0").containsEntry("NS", "default").containsEntry("IP", "127.2.0.9")
        .containsEntry("NODE", "n1").containsEntry("APP", "web").containsEntry("MODE", "fast")
        .containsEntry("PW", "s3cret").containsEntry("URL", "http://127.2.0.9:8080/$(NOPE)/$(IP)")
        .doesNotContainKey("MISSING_OK").doesNotContainKey("CFG_bad key");
  }

  @Test
  void missingConfigMapSecretOrKeyFailsWithKubeletsMessage() throws Exception {
    JsonNode pod = M.readTree(POD);
    assertThatThrownBy(() -> EnvResolver.resolve(pod, M.readTree("""
        {"env": [{"name": "X", "valueFrom": {"configMapKeyRef": {"name": "other", "key": "k"}}}]}"""),
        "ip", "h", source(true))).isInstanceOf(ConfigException.class).hasMessage("configmap \"other\" not found");
    assertThatThrownBy(() -> EnvResolver.resolve(pod, M.readTree("""
        {"env": [{"name": "X", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "nokey"}}}]}"""),
        "ip", "h", source(true))).isInstanceOf(ConfigException.class)
        .hasMessage("couldn't find key nokey in ConfigMap default/cfg");
    assertThatThrownBy(() -> EnvResolver.resolve(pod, M.readTree("""
        {"envFrom": [{"secretRef": {"name": "nope"}}]}"""), "ip", "h", source(true)))
        .isInstanceOf(ConfigException.class).hasMessage("secret \"nope\" not found");
    assertThatThrownBy(() -> EnvResolver.resolve(pod, M.readTree("""
        {"envFrom": [{"secretRef": {"name": "nope"}}]}"""), "ip", "h", source(false)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("waiting");
  }

  @Test
  void expansionLeavesUnknownReferencesAndUnescapesDollars() {
    Map<String, String> env = Map.of("A", "1");
    assertThat(EnvResolver.expand("$(A)-$(B)-$$(A)-$-$(A", env)).isEqualTo("1-$(B)-$(A)-$-$(A");
  }
}
