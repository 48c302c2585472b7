package io.kafkube.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulerConfigTest {
  @Test
  void defaultsThenEnvironmentThenFlags() {
    SchedulerConfig c = SchedulerConfig.parse(
        Map.of("KAFKUBE_BOOTSTRAP_SERVERS", "env:9092", "KAFKUBE_PREFIX", "envp"),
        new String[] {"--bootstrap-servers", "flag:9092", "--registry-url=http://r:1", "--partitions", "12",
            "--state-dir", "/tmp/s", "--punctuate-interval-ms", "50", "--batch-size", "64",
            "--assume-timeout-ms", "5000", "--standby-replicas", "1"});
    assertThat(c.bootstrapServers()).isEqualTo("flag:9092");
    assertThat(c.prefix()).isEqualTo("envp");
    assertThat(c.registryUrl()).isEqualTo("http://r:1");
    assertThat(c.partitions()).isEqualTo(12);
    assertThat(c.stateDir()).isEqualTo(Path.of("/tmp/s"));
    assertThat(c.punctuateInterval()).isEqualTo(Duration.ofMillis(50));
    assertThat(c.batchSize()).isEqualTo(64);
    assertThat(c.assumeTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.standbyReplicas()).isEqualTo(1);
    assertThat(c.initialBackoff()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.maxBackoff()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void rejectsUnknownOptionsAndBadValues() {
    assertThatThrownBy(() -> SchedulerConfig.parse(Map.of(), new String[] {"--bogus", "1"}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SchedulerConfig.parse(Map.of(), new String[] {"--batch-size", "0"}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
