package io.kafkube.agent.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkube.schemas.json.KubeJson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** kubelet's events: the shape kubectl describe shows, and repeats folded into count + lastTimestamp. */
class EventRecorderTest {
  record Sent(String op, String key, JsonNode event) {}

  final List<Sent> sent = new CopyOnWriteArrayList<>();
  final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  final EventRecorder.Sink sink = new EventRecorder.Sink() {
    @Override
    public void create(String key, GenericRecord event) {
      sent.add(new Sent("create", key, KubeJson.toJson(event)));
    }

    @Override
    public void update(String key, GenericRecord event) {
      sent.add(new Sent("update", key, KubeJson.toJson(event)));
    }
  };

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  static final class ManualClock extends Clock {
    Instant now = Instant.parse("2026-11-29T10:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void firstOccurrenceIsCreatedWithKubeletsFields() {
    EventRecorder r = new EventRecorder("node-1", sink, timer, new ManualClock(), Duration.ofSeconds(10));
    r.normal(EventRecorder.Involved.pod("ns", "web", "uid-1").container("app", false), "Started",
        "Started container app");
    assertThat(sent).hasSize(1);
    Sent s = sent.get(0);
    assertThat(s.op()).isEqualTo("create");
    assertThat(s.key()).startsWith("/registry/events/ns/web.");
    JsonNode e = s.event();
    assertThat(e.path("involvedObject").path("kind").asText()).isEqualTo("Pod");
    assertThat(e.path("involvedObject").path("uid").asText()).isEqualTo("uid-1");
    assertThat(e.path("involvedObject").path("fieldPath").asText()).isEqualTo("spec.containers{app}");
    assertThat(e.path("reason").asText()).isEqualTo("Started");
    assertThat(e.path("type").asText()).isEqualTo("Normal");
    assertThat(e.path("source").path("component").asText()).isEqualTo("kubelet");
    assertThat(e.path("source").path("host").asText()).isEqualTo("node-1");
    assertThat(e.path("count").asInt()).isEqualTo(1);
    assertThat(e.path("firstTimestamp").asText()).isEqualTo("2026-11-29T10:00:00Z");
  }

  @Test
  void repeatsRaiseTheCountOfTheSameEventAtMostOncePerWindow() {
    ManualClock clock = new ManualClock();
    EventRecorder r = new EventRecorder("node-1", sink, timer, clock, Duration.ofMillis(300));
    EventRecorder.Involved pod = EventRecorder.Involved.pod("ns", "web", "uid-1");
    for (int i = 0; i < 50; i++) {
      r.warning(pod, "BackOff", "Back-off restarting failed container");
    }
    r.warning(pod, "Unhealthy", "Liveness probe failed");
    assertThat(sent).extracting(Sent::op).as("50 repeats do not flood the store").containsExactly("create", "create");
    assertThat(r.count(pod, "Warning", "BackOff", "Back-off restarting failed container")).isEqualTo(50);
    // the repeats inside the window are folded into one update when it ends
    await().atMost(Duration.ofSeconds(20)).until(() -> sent.size() == 3);
    Sent update = sent.get(2);
    assertThat(update.op()).isEqualTo("update");
    assertThat(update.key()).isEqualTo(sent.get(0).key());
    assertThat(update.event().path("count").asInt()).isEqualTo(50);
    clock.now = clock.now.plusSeconds(60);
    r.warning(pod, "BackOff", "Back-off restarting failed container");
    assertThat(sent.get(3).event().path("count").asInt()).isEqualTo(51);
    assertThat(sent.get(3).event().path("lastTimestamp").asText()).isEqualTo("2026-11-29T10:01:00Z");
    assertThat(sent.get(3).event().path("firstTimestamp").asText()).isEqualTo("2026-11-29T10:00:00Z");
  }
}
