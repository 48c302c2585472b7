package io.kafkube.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void firstRestartIsImmediateThenTenSecondsDoublingToFiveMinutes() {
    Backoff b = new Backoff();
    assertThat(b.isInBackOffSince("c", T0, T0)).as("no entry: restart at once").isFalse();
    b.next("c", T0);
    assertThat(b.get("c")).isEqualTo(Duration.ofSeconds(10));
    Instant exit = T0.plusSeconds(1);
    assertThat(b.isInBackOffSince("c", exit, exit.plusSeconds(9))).isTrue();
    assertThat(b.isInBackOffSince("c", exit, exit.plusSeconds(10))).isFalse();
    Instant t = exit;
    Duration[] expected = {Duration.ofSeconds(20), Duration.ofSeconds(40), Duration.ofSeconds(80),
        Duration.ofSeconds(160), Duration.ofSeconds(300), Duration.ofSeconds(300)};
    for (Duration d : expected) {
      t = t.plus(b.get("c"));
      b.next("c", t);
      assertThat(b.get("c")).isEqualTo(d);
    }
    assertThat(b.until("c", t)).isEqualTo(t.plusSeconds(300));
  }

  @Test
  void aContainerThatRanTenMinutesStartsOverAtTenSeconds() {
    Backoff b = new Backoff();
    b.next("c", T0);
    b.next("c", T0.plusSeconds(10));
    assertThat(b.get("c")).isEqualTo(Duration.ofSeconds(20));
    Instant muchLater = T0.plusSeconds(10 + 601);
    assertThat(b.isInBackOffSince("c", muchLater, muchLater)).as("expired: restart at once").isFalse();
    b.next("c", muchLater);
    assertThat(b.get("c")).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void keysAreIndependentAndResettable() {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(4));
    b.next("a", T0);
    b.next("a", T0);
    assertThat(b.get("a")).isEqualTo(Duration.ofSeconds(2));
    assertThat(b.get("b")).isEqualTo(Duration.ZERO);
    b.reset("a");
    assertThat(b.isInBackOffSince("a", T0, T0)).isFalse();
  }
}
