package io.kafkube.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlagsTest {
  private static final Flags.Setter<Map<String, String>> PUT = (c, name, value) -> {
    if (name.equals("bad")) {
      throw new IllegalArgumentException("unknown option --bad");
    }
    Map<String, String> next = new LinkedHashMap<>(c);
    next.put(name, value);
    return next;
  };

  @Test
  void flagsOverrideEnvironmentWhichOverridesDefaults() {
    Map<String, String> out = Flags.parse(Map.of("prefix", "kafkube", "port", "1"),
        Map.of("KAFKUBE_PREFIX", "env", "KAFKUBE_PORT", "2"),
        Map.of("KAFKUBE_PREFIX", "prefix", "KAFKUBE_PORT", "port"),
        new String[] {"--port=3", "--data-dir", "/tmp/x"}, PUT);
    assertThat(out).containsEntry("prefix", "env").containsEntry("port", "3").containsEntry("data-dir", "/tmp/x");
  }

  @Test
  void malformedFlagsAreRefused() {
    assertThatThrownBy(() -> Flags.parse(Map.of(), Map.of(), Map.of(), new String[] {"port"}, PUT))
        .hasMessageContaining("unexpected argument: port");
    assertThatThrownBy(() -> Flags.parse(Map.of(), Map.of(), Map.of(), new String[] {"--port"}, PUT))
        .hasMessageContaining("missing value for --port");
    assertThatThrownBy(() -> Flags.parse(Map.of(), Map.of(), Map.of(), new String[] {"--bad=1"}, PUT))
        .hasMessageContaining("unknown option --bad");
  }
}
