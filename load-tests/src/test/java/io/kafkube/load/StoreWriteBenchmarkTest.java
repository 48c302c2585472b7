package io.kafkube.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.store.client.CommandClient;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The benchmark's workload runs and every write it counts was acknowledged by the store. Speed is
 * not asserted here; the benchmark's main prints it.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StoreWriteBenchmarkTest {

  @Test
  void concurrentWritersCreateAndUpdateWithoutErrors() throws Exception {
    try (BenchCluster cluster = new BenchCluster(2);
         CommandClient client = new CommandClient(cluster.kafka.bootstrapServers(), cluster.topics, -1)) {
      StoreWriteBenchmark.Result r = StoreWriteBenchmark.run(client, 8, 2, "t");
      assertThat(r.failures()).isZero();
      assertThat(r.writes()).isPositive();
      assertThat(r.latencyMicros().getTotalCount()).isEqualTo(r.writes());
    }
  }
}
