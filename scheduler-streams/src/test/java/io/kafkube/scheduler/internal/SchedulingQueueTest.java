package io.kafkube.scheduler.internal;

import static io.kafkube.scheduler.testing.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SchedulingQueueTest {
  @Test
  void priorityThenDeadlineThenAgeThenKey() {
    SchedulingQueue q = new SchedulingQueue(1000, 10_000);
    q.addOrUpdate(pod("old").created("2026-01-01T00:00:00Z").info());
    q.addOrUpdate(pod("young").created("2026-01-01T00:05:00Z").info());
    q.addOrUpdate(pod("urgent").created("2026-01-01T00:09:00Z").activeDeadlineSeconds(60).info());
    q.addOrUpdate(pod("due-later").created("2026-01-01T00:09:00Z").deadlineAnnotation("2026-01-01T01:00:00Z").info());
    q.addOrUpdate(pod("important").created("2026-01-01T00:10:00Z").priority(1000).info());
    q.addOrUpdate(pod("b-twin").info());
    q.addOrUpdate(pod("a-twin").info());
    assertThat(q.activeKeys()).extracting(k -> k.substring(k.lastIndexOf('/') + 1))
        .containsExactly("important", "urgent", "due-later", "a-twin", "b-twin", "old", "young");
  }

  @Test
  void backoffDoublesUpToTheMaximumAndEventsCutItShort() {
    SchedulingQueue q = new SchedulingQueue(1000, 10_000);
    String key = pod("p").key();
    q.addOrUpdate(pod("p").info());
    long now = 0;
    long[] waits = {1000, 2000, 4000, 8000, 10_000, 10_000};
    for (long wait : waits) {
      assertThat(q.poll().key()).isEqualTo(key);
      q.backoff(key, now);
      q.flushBackoff(now + wait - 1);
      assertThat(q.activeSize()).as("still backing off %d ms", wait).isZero();
      now += wait;
      q.flushBackoff(now);
      assertThat(q.activeSize()).isEqualTo(1);
    }
    q.poll();
    q.backoff(key, now);
    q.addOrUpdate(pod("p").resourceVersion("2").info());
    assertThat(q.activeSize()).as("an update of the pod does not end its backoff").isZero();
    q.activateAll();
    assertThat(q.activeKeys()).containsExactly(key);
  }
}
