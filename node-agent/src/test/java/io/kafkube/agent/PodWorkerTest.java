package io.kafkube.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkube.agent.env.ConfigSource;
import io.kafkube.agent.probe.Prober;
import io.kafkube.agent.runtime.ContainerInstance;
import io.kafkube.agent.runtime.ContainerRuntime;
import io.kafkube.agent.runtime.ImageException;
import io.kafkube.agent.runtime.PodRef;
import io.kafkube.agent.runtime.StartSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pod worker's decisions against a scripted runtime, with time passed in: no waiting, no Kafka. */
class PodWorkerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** A runtime whose containers do what the test says. */
  static final class ScriptedRuntime implements ContainerRuntime {
    final Map<String, List<ContainerInstance>> byName = new LinkedHashMap<>();
    final List<StartSpec> starts = new ArrayList<>();
    final List<String> stops = new ArrayList<>();
    Duration lastGrace;

    @Override
    public String name() {
      return "scripted";
    }

    @Override
    public String sandbox(PodRef pod) {
      return "127.2.0.2";
    }

    @Override
    public void pullImage(String image) throws ImageException {
      if (image.startsWith("nginx")) {
        throw new ImageException("Failed to pull image \"" + image + "\": no");
      }
    }

    @Override
    public ContainerInstance start(PodRef pod, StartSpec spec) {
      starts.add(spec);
      ContainerInstance i = ContainerInstance.running(spec.container(), spec.attempt(), "x://" + starts.size(), T0, T0);
      byName.computeIfAbsent(spec.container(), k -> new ArrayList<>()).add(i);
      return i;
    }

    void exit(String name, int code, Instant at) {
      List<ContainerInstance> l = byName.get(name);
      l.set(l.size() - 1, l.get(l.size() - 1).exited(code, at, null));
    }

    @Override
    public CompletableFuture<ContainerInstance> stop(String podUid, String container, Duration grace) {
      stops.add(container);
      lastGrace = grace;
      return new CompletableFuture<>();
    }

    @Override
    public List<ContainerInstance> containers(String podUid) {
      List<ContainerInstance> out = new ArrayList<>();
      byName.values().forEach(out::addAll);
      return out;
    }

    @Override
    public Set<String> pods() {
      return Set.of("uid-1");
    }

    @Override
    public void removePod(String podUid) {}

    @Override
    public Optional<String> logs(String podUid, String container, boolean previous) {
      return Optional.empty();
    }

    @Override
    public int exec(String podUid, String container, List<String> command, Duration timeout) {
      return 0;
    }

    @Override
    public boolean realNetwork() {
      return false;
    }

    @Override
    public void onChange(Consumer<String> podUidListener) {}

    @Override
    public void close() {}

    @Override
    public void stopAll(Duration grace) {}
  }

  final ScriptedRuntime rt = new ScriptedRuntime();
  final java.util.concurrent.ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  final PodWorker.Node node = new PodWorker.Node() {
    @Override
    public String name() {
      return "n1";
    }

    @Override
    public String hostIP() {
      return "127.0.0.1";
    }

    @Override
    public ContainerRuntime runtime() {
      return rt;
    }

    @Override
    public ConfigSource config() {
      return ConfigSource.empty();
    }

    @Override
    public Prober prober() {
      return new Prober(timer, timer);
    }

    @Override
    public Duration backoffInitial() {
      return Duration.ofSeconds(10);
    }

    @Override
    public Duration backoffMax() {
      return Duration.ofMinutes(5);
    }

    @Override
    public void resync() {}
  };

  @AfterEach
  void stopTimer() {
    timer.shutdownNow();
  }

  private static PodWorker worker(PodWorker.Node node, String policy, String extraSpec, String metaExtra,
      String containers) {
    String json = """
        {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": "p", "namespace": "default", "uid": "uid-1"%s},
         "spec": {"nodeName": "n1", "restartPolicy": "%s", "terminationGracePeriodSeconds": 30%s,
                  "containers": [%s]}}""".formatted(metaExtra, policy, extraSpec, containers);
    return new PodWorker("/registry/pods/default/p", TestCluster.decode(json, TestCluster.PODS), node);
  }

  private static JsonNode cs(PodWorker.Result r) {
    return r.status().path("containerStatuses").get(0);
  }

  @Test
  void crashingContainerRestartsAtOnceThenBacksOffTenSecondsThenTwenty() {
    PodWorker w = worker(node, "Always", "", "", "{\"name\": \"main\", \"image\": \"busybox\"}");
    PodWorker.Result r = w.sync(T0);
    assertThat(rt.starts).hasSize(1);
    assertThat(r.status().path("phase").asText()).isEqualTo("Running");

    rt.exit("main", 1, T0.plusSeconds(1));
    r = w.sync(T0.plusSeconds(1));
    assertThat(rt.starts).as("the first restart is immediate").hasSize(2);
    assertThat(rt.starts.get(1).attempt()).isEqualTo(1);
    assertThat(cs(r).path("restartCount").asInt()).isEqualTo(1);
    assertThat(cs(r).path("lastState").path("terminated").path("exitCode").asInt()).isEqualTo(1);

    rt.exit("main", 1, T0.plusSeconds(2));
    r = w.sync(T0.plusSeconds(3));
    assertThat(rt.starts).hasSize(2);
    assertThat(cs(r).path("state").path("waiting").path("reason").asText()).isEqualTo("CrashLoopBackOff");
    assertThat(cs(r).path("state").path("waiting").path("message").asText())
        .isEqualTo("back-off 10s restarting failed container=main pod=p_default(uid-1)");
    assertThat(w.sync(T0.plusSeconds(11)).status()).isNotNull();
    assertThat(rt.starts).as("still in back-off 9 s after the exit").hasSize(2);
    w.sync(T0.plusSeconds(12));
    assertThat(rt.starts).hasSize(3);

    rt.exit("main", 1, T0.plusSeconds(13));
    r = w.sync(T0.plusSeconds(14));
    assertThat(cs(r).path("state").path("waiting").path("message").asText()).startsWith("back-off 20s ");
    assertThat(cs(r).path("restartCount").asInt()).isEqualTo(2);
  }

  @Test
  void onFailureDoesNotRestartASuccessAndNeverDoesNotRestartAFailure() {
    PodWorker ok = worker(node, "OnFailure", "", "", "{\"name\": \"main\", \"image\": \"busybox\"}");
    ok.sync(T0);
    rt.exit("main", 0, T0.plusSeconds(1));
    PodWorker.Result r = ok.sync(T0.plusSeconds(2));
    assertThat(rt.starts).hasSize(1);
    assertThat(r.status().path("phase").asText()).isEqualTo("Succeeded");
    assertThat(cs(r).path("state").path("terminated").path("reason").asText()).isEqualTo("Completed");
  }

  @Test
  void missingConfigAndUnknownImagesWaitWithKubeletsReasons() {
    PodWorker w = worker(node, "Always", "", "", """
        {"name": "main", "image": "busybox",
         "env": [{"name": "A", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}]}""");
    PodWorker.Result r = w.sync(T0);
    assertThat(rt.starts).isEmpty();
    assertThat(cs(r).path("state").path("waiting").path("reason").asText()).isEqualTo("CreateContainerConfigError");
    assertThat(cs(r).path("state").path("waiting").path("message").asText()).isEqualTo("secret \"s\" not found");
    assertThat(r.status().path("phase").asText()).isEqualTo("Pending");

    PodWorker img = worker(node, "Always", "", "", "{\"name\": \"main\", \"image\": \"nginx\"}");
    assertThat(cs(img.sync(T0)).path("state").path("waiting").path("reason").asText()).isEqualTo("ErrImagePull");
    assertThat(cs(img.sync(T0)).path("state").path("waiting").path("reason").asText())
        .as("the next attempt waits for the image back-off").isEqualTo("ImagePullBackOff");
  }

  @Test
  void initContainersRunOneAfterTheOtherBeforeTheContainers() {
    PodWorker w = worker(node, "Always", """
        , "initContainers": [{"name": "i1", "image": "busybox"}, {"name": "i2", "image": "busybox"}]""", "",
        "{\"name\": \"main\", \"image\": \"busybox\"}");
    PodWorker.Result r = w.sync(T0);
    assertThat(rt.starts).extracting(StartSpec::container).containsExactly("i1");
    assertThat(cs(r).path("state").path("waiting").path("reason").asText()).isEqualTo("PodInitializing");
    rt.exit("i1", 0, T0.plusSeconds(1));
    w.sync(T0.plusSeconds(1));
    assertThat(rt.starts).extracting(StartSpec::container).containsExactly("i1", "i2");
    rt.exit("i2", 0, T0.plusSeconds(2));
    r = w.sync(T0.plusSeconds(2));
    assertThat(rt.starts).extracting(StartSpec::container).containsExactly("i1", "i2", "main");
    assertThat(r.status().path("phase").asText()).isEqualTo("Running");
  }

  @Test
  void aDeletedPodIsStoppedWithTheDeletionGraceAndThenReadyForRemoval() {
    PodWorker w = worker(node, "Always", "", "", "{\"name\": \"main\", \"image\": \"busybox\"}");
    w.sync(T0);
    PodWorker deleting = worker(node, "Always", "",
        ", \"deletionTimestamp\": \"2026-01-01T00:00:12Z\", \"deletionGracePeriodSeconds\": 12",
        "{\"name\": \"main\", \"image\": \"busybox\"}");
    w.update(deleting.record());
    PodWorker.Result r = w.sync(T0.plusSeconds(1));
    assertThat(rt.stops).containsExactly("main");
    assertThat(rt.lastGrace).isEqualTo(Duration.ofSeconds(12));
    assertThat(r.readyForDelete()).isFalse();
    w.sync(T0.plusSeconds(2));
    assertThat(rt.stops).as("one stop request").hasSize(1);
    rt.exit("main", 143, T0.plusSeconds(3));
    r = w.sync(T0.plusSeconds(3));
    assertThat(r.readyForDelete()).isTrue();
    assertThat(r.status().path("phase").asText()).isEqualTo("Failed");
    assertThat(rt.starts).as("nothing restarts a deleted pod").hasSize(1);
  }
  @Test
  void aPodPastItsActiveDeadlineFailsAndItsContainersAreStopped() {
    PodWorker w = worker(node, "Always", ", \"activeDeadlineSeconds\": 30", "",
        "{\"name\": \"main\", \"image\": \"busybox\"}");
    assertThat(w.sync(T0).status().path("phase").asText()).isEqualTo("Running");
    assertThat(rt.stops).isEmpty();
    PodWorker.Result r = w.sync(T0.plusSeconds(31));
    assertThat(rt.stops).containsExactly("main");
    assertThat(r.status().path("phase").asText()).isEqualTo("Failed");
    assertThat(r.status().path("reason").asText()).isEqualTo("DeadlineExceeded");
    rt.exit("main", 143, T0.plusSeconds(32));
    r = w.sync(T0.plusSeconds(40));
    assertThat(rt.starts).as("a failed pod is not restarted").hasSize(1);
    assertThat(cs(r).path("state").path("terminated").path("exitCode").asInt()).isEqualTo(143);
    assertThat(r.status().path("phase").asText()).isEqualTo("Failed");
    assertThat(r.status().path("reason").asText()).isEqualTo("DeadlineExceeded");
  }
}
