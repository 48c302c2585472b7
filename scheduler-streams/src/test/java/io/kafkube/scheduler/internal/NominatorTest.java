package io.kafkube.scheduler.internal;

import static io.kafkube.scheduler.testing.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.scheduler.framework.PodInfo;
import org.junit.jupiter.api.Test;

class NominatorTest {
  private final PodInfo p1 = pod("p1").info();
  private final PodInfo p2 = pod("p2").info();

  @Test
  void keepsOneNominationPerPod() {
    Nominator n = new Nominator();
    assertThat(n.on("a")).isEmpty();
    n.nominate(p1, "a");
    n.nominate(p2, "a");
    assertThat(n.on("a")).containsExactly(p1, p2);
    n.nominate(p1, "b");
    assertThat(n.on("a")).containsExactly(p2);
    assertThat(n.on("b")).containsExactly(p1);
    n.nominate(p2, null);
    assertThat(n.on("a")).isEmpty();
    n.remove(p1.key());
    assertThat(n.on("b")).isEmpty();
    assertThat(n.size()).isZero();
    n.nominate(p1, "");
    assertThat(n.size()).isZero();
  }
}
