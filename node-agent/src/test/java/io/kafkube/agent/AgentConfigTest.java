package io.kafkube.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentConfigTest {
  @Test
  void flagsOverrideEnvironmentOverrideDefaults() {
    AgentConfig c = AgentConfig.parse(Map.of("KAFKUBE_NODE_NAME", "from-env", "KAFKUBE_PARTITIONS", "3"),
        new String[] {"--node-name", "worker-7", "--simulate=5", "--sim-run-ms", "250", "--pod-cidr", "127.9.0.0/16",
            "--data-dir", "/tmp/a"});
    assertThat(c.nodeName()).isEqualTo("worker-7");
    assertThat(c.partitions()).isEqualTo(3);
    assertThat(c.simulate()).isEqualTo(5);
    assertThat(c.runtime()).as("--simulate implies the simulated runtime").isEqualTo("simulated");
    assertThat(c.simRunTime()).isEqualTo(Duration.ofMillis(250));
    assertThat(c.podCidr()).isEqualTo("127.9.0.0/16");
    assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/a"));
    assertThat(AgentHost.nodeNames(c)).containsExactly("worker-7-0", "worker-7-1", "worker-7-2", "worker-7-3",
        "worker-7-4");
    AgentConfig d = AgentConfig.defaults();
    assertThat(d.leaseRenewInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(d.leaseDuration()).isEqualTo(Duration.ofSeconds(40));
    assertThat(d.runtime()).isEqualTo("process");
    assertThat(AgentHost.nodeNames(d)).containsExactly(d.nodeName());
    assertThat(d.podMaxPids()).as("kubelet's default: unlimited").isEqualTo(-1);
    assertThat(AgentConfig.parse(Map.of(), new String[] {"--pod-max-pids=20"}).podMaxPids()).isEqualTo(20);
  }

  @Test
  void badOptionsAreRefused() {
    assertThatThrownBy(() -> AgentConfig.parse(Map.of(), new String[] {"--runtime", "docker"}))
        .hasMessageContaining("process or simulated");
    assertThatThrownBy(() -> AgentConfig.parse(Map.of(), new String[] {"--nope", "1"}))
        .hasMessageContaining("unknown option --nope");
    assertThatThrownBy(() -> AgentConfig.parse(Map.of(), new String[] {"--pod-max-pids", "0"}))
        .hasMessageContaining("--pod-max-pids must be -1 (unlimited) or at least 1");
  }
}
