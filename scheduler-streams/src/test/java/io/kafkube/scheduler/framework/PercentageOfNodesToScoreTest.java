package io.kafkube.scheduler.framework;

import static io.kafkube.scheduler.testing.TestNodes.node;
import static io.kafkube.scheduler.testing.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.scheduler.plugins.DefaultProfile;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PercentageOfNodesToScoreTest {
  @ParameterizedTest(name = "{0}% of {1} nodes: {2}")
  @CsvSource({
      // percentage, nodes, feasible nodes to find
      "0, 10, 10",        // under 100 nodes: all
      "0, 99, 99",
      "0, 100, 100",      // adaptive: 50 - 100/125 = 50% → 50, at least 100
      "0, 500, 230",      // 50 - 4 = 46%
      "0, 1000, 420",     // 50 - 8 = 42%
      "0, 5000, 500",     // 50 - 40 = 10%
      "0, 6000, 300",     // 50 - 48 = 2% → the 5% floor
      "0, 15000, 750",    // 5%
      "30, 500, 150",     // configured
      "1, 5000, 100",     // never below 100
      "100, 5000, 5000",  // all
      "150, 5000, 5000"}) // above 100 acts as 100
  void numFeasibleNodesToFind(int percentage, int nodes, int expected) {
    assertThat(SchedulingAlgorithm.numFeasibleNodesToFind(percentage, nodes)).isEqualTo(expected);
  }

  private static List<NodeInfo> nodes(int n) {
    List<NodeInfo> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(node(String.format("n%03d", i)).cpu("4").memory("8Gi").info());
    }
    return out;
  }

  @Test
  void aCycleStopsAtTheFeasibleCountAndTheNextStartsWhereItStopped() {
    // 200 equal nodes, 50%: each cycle looks at 100 of them; cycles rotate over the cluster.
    List<NodeInfo> nodes = nodes(200);
    SchedulingAlgorithm algorithm = new SchedulingAlgorithm(DefaultProfile.create(), 50);
    Set<String> chosen = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      chosen.add(algorithm.schedule(pod("p" + i).cpu("100m").info(), nodes).node());
    }
    // Equal scores go to the first node examined: n000, n100, n000, n100.
    assertThat(chosen).containsExactlyInAnyOrder("n000", "n100");
  }

  @Test
  void withAllNodesScoredTheFirstBestNodeWins() {
    List<NodeInfo> nodes = nodes(200);
    SchedulingAlgorithm algorithm = new SchedulingAlgorithm(DefaultProfile.create(), 100);
    for (int i = 0; i < 3; i++) {
      assertThat(algorithm.schedule(pod("p" + i).cpu("100m").info(), nodes).node()).isEqualTo("n000");
    }
  }

  @Test
  void aMisfitLooksAtEveryNode() {
    List<NodeInfo> nodes = nodes(300);
    ScheduleResult r = new SchedulingAlgorithm(DefaultProfile.create()).schedule(pod("p").cpu("8").info(), nodes);
    assertThat(r.failures()).hasSize(300);
    assertThat(r.reasons()).containsEntry("Insufficient cpu", 300);
  }
}
