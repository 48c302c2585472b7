package io.kafkube.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.agent.AgentConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The agent's server is configured with kubelet's flag names, and runs only with its TLS files. */
class ServerFlagsTest {
  @Test
  void theThreeTlsFilesTurnTheServerOn() {
    assertThat(AgentConfig.parse(Map.of(), new String[] {"--tls-cert-file", "/p/k.crt"}).server()).isNull();
    AgentConfig c = AgentConfig.parse(Map.of(), new String[] {"--tls-cert-file", "/p/k.crt", "--tls-private-key-file",
        "/p/k.key", "--client-ca-file", "/p/ca.crt", "--port", "10250"});
    assertThat(c.server()).isEqualTo(new ServerConfig("127.0.0.1", 10250, Path.of("/p/k.crt"), Path.of("/p/k.key"),
        Path.of("/p/ca.crt")));
  }
}
