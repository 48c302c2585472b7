package io.kafkube.scheduler.internal;

import static io.kafkube.scheduler.testing.TestNodes.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.scheduler.framework.Resources;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterCacheTest {
  private static Resources cpu(String q) {
    return Resources.parse(Map.of("cpu", q));
  }

  @Test
  void claimsFollowPodsAndNodesInAnyOrder() {
    ClusterCache cache = new ClusterCache();
    cache.place("p1", "n", cpu("1"));
    cache.place("p2", "n", cpu("500m"));
    cache.place("p3", "m", cpu("2"));
    assertThat(cache.putNode(node("n").cpu("4").info())).as("a new node").isTrue();
    assertThat(cache.node("n").requested()).isEqualTo(cpu("1500m"));
    assertThat(cache.node("n").podCount()).isEqualTo(2);

    assertThat(cache.putNode(node("n").cpu("4").info())).as("an unchanged node").isFalse();
    assertThat(cache.putNode(node("n").cpu("8").info())).as("more capacity").isTrue();
    assertThat(cache.node("n").requested()).as("usage survives a node update").isEqualTo(cpu("1500m"));

    cache.place("p1", "n", cpu("1")); // seen bound where it was assumed: no double count
    assertThat(cache.node("n").podCount()).isEqualTo(2);
    cache.place("p2", "m", cpu("500m")); // bound elsewhere than assumed
    assertThat(cache.node("n").requested()).isEqualTo(cpu("1"));
    assertThat(cache.remove("p1")).isTrue();
    assertThat(cache.remove("p1")).isFalse();
    assertThat(cache.node("n").podCount()).isZero();
    assertThat(cache.node("n").requested().milli("cpu")).isZero();

    cache.removeNode("n");
    cache.putNode(node("m").cpu("4").info());
    assertThat(cache.node("m").requested()).isEqualTo(cpu("2500m"));
    assertThat(cache.nodes()).extracting(n -> n.name()).containsExactly("m");
  }
}
