package io.kafkube.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kafkube.etcd.driver.EtcdDriver;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The jetcd Java client (in its own JVM, see etcd-driver) against the endpoint. */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class JetcdTest {
  @TempDir
  static Path dir;
  static EtcdCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = new EtcdCluster(dir, 3);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void compareAndSwapCounterOf50ConcurrentClientsLosesNoIncrement() throws Exception {
    int clients = 50;
    int increments = 4;
    JsonNode r = new ObjectMapper().readTree(EtcdDriver.run("768m", 5, TimeUnit.MINUTES, "cas",
        cluster.etcd.url(), Integer.toString(clients), Integer.toString(increments)));
    assertThat(r.path("failures").asLong()).isZero();
    assertThat(r.path("value").asLong()).isEqualTo(clients * increments).isEqualTo(r.path("expected").asLong());
    assertThat(r.path("version").asLong()).as("one version per increment").isEqualTo(clients * increments);
    assertThat(r.path("conflicts").asLong()).as("the clients did contend").isPositive();
  }
}
