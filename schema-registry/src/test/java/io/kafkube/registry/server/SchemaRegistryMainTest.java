package io.kafkube.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SchemaRegistryMainTest {
  @Test
  void parsesFlagsWithDefaults() {
    RegistryConfig c = SchemaRegistryMain.parse(new String[] {"--bootstrap-servers", "127.0.0.1:9092"});
    assertThat(c.bootstrapServers()).isEqualTo("127.0.0.1:9092");
    assertThat(c.topic()).isEqualTo("kafkube._schemas");
    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(8081);
    assertThat(c.replicationFactor()).isEqualTo((short) 1);
    assertThat(c.groupId()).isEqualTo("kafkube-schema-registry.kafkube._schemas.leader");
    assertThat(c.transactionalId()).isEqualTo("kafkube-schema-registry.kafkube._schemas.writer");

    RegistryConfig d = SchemaRegistryMain.parse(new String[] {"--bootstrap-servers=k:1", "--port", "0",
        "--topic", "t", "--host", "127.0.0.2", "--replication-factor", "3", "--advertised-url", "http://r:1"});
    assertThat(d.port()).isZero();
    assertThat(d.topic()).isEqualTo("t");
    assertThat(d.host()).isEqualTo("127.0.0.2");
    assertThat(d.replicationFactor()).isEqualTo((short) 3);
    assertThat(d.advertisedUrl()).isEqualTo("http://r:1");
  }

  @Test
  void rejectsMissingOrUnknownFlags() {
    assertThatThrownBy(() -> SchemaRegistryMain.parse(new String[] {})).hasMessageContaining("--bootstrap-servers");
    assertThatThrownBy(() -> SchemaRegistryMain.parse(new String[] {"--bootstrap-servers", "x", "--nope", "1"}))
        .hasMessageContaining("--nope");
  }
}
