package io.kafkube.scheduler.plugins;

import static io.kafkube.scheduler.testing.TestNodes.node;
import static io.kafkube.scheduler.testing.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.scheduler.framework.LabelSelector;
import io.kafkube.scheduler.framework.NodeInfo;
import io.kafkube.scheduler.framework.PodInfo;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The per-node count of matching pods is remembered, and forgotten whenever the node's pods change. */
class SpreadCountMemoTest {
  private static final LabelSelector APP_WEB = LabelSelector.of(Map.of("app", "web"));
  private static final PodInfo WEB_1 = pod("web-1").label("app", "web").info();
  private static final PodInfo WEB_2 = pod("web-2").label("app", "web").info();
  private static final PodInfo DB = pod("db").label("app", "db").info();
  private static final PodInfo WEB_OTHER_NS = pod("web-3").namespace("other").label("app", "web").info();

  static Stream<Arguments> changes() {
    return Stream.of(
        Arguments.of("a matching pod added", (Consumer<NodeInfo>) n -> n.addPod(WEB_2), 2),
        Arguments.of("a pod of another app added", (Consumer<NodeInfo>) n -> n.addPod(DB), 1),
        Arguments.of("a matching pod of another namespace added", (Consumer<NodeInfo>) n -> n.addPod(WEB_OTHER_NS), 1),
        Arguments.of("the matching pod removed", (Consumer<NodeInfo>) n -> n.removePod(WEB_1), 0),
        Arguments.of("the matching pod replaced by its terminating version", (Consumer<NodeInfo>) n -> {
          n.removePod(WEB_1);
          n.addPod(pod("web-1").label("app", "web").deleting().info());
        }, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("changes")
  void countFollowsThePodsOfTheNode(String change, Consumer<NodeInfo> apply, int expected) {
    NodeInfo n = node("n1").label("zone", "a").info();
    n.addPod(WEB_1);
    assertThat(PodTopologySpread.countMatching(n, APP_WEB, "default")).isEqualTo(1);
    apply.accept(n);
    assertThat(PodTopologySpread.countMatching(n, APP_WEB, "default")).isEqualTo(expected);
  }

  @Test
  void differentSelectorsAndNamespacesAreCountedApart() {
    NodeInfo n = node("n1").info();
    n.addPod(WEB_1);
    n.addPod(WEB_OTHER_NS);
    n.addPod(DB);
    assertThat(PodTopologySpread.countMatching(n, APP_WEB, "default")).isEqualTo(1);
    assertThat(PodTopologySpread.countMatching(n, APP_WEB, "other")).isEqualTo(1);
    assertThat(PodTopologySpread.countMatching(n, LabelSelector.of(Map.of("app", "db")), "default")).isEqualTo(1);
    assertThat(PodTopologySpread.countMatching(n, LabelSelector.EVERYTHING, "default")).isEqualTo(2);
    assertThat(PodTopologySpread.countMatching(n, LabelSelector.NOTHING, "default")).isZero();
  }
}
