package io.kafkube.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Kubernetes client libraries against a real cluster over TLS with the generated kubeconfig: CRUD, a
 * stale update refused with 409, and list+watch resumed from a resourceVersion.
 *
 * <ul>
 *   <li>the official Python client (Debian's python3-kubernetes, installed by scripts/install-test-deps; its
 *       checks are in src/test/python/k8s_client.py);
 *   <li>the fabric8 Java client, on the JDK's HTTP client.
 * </ul>
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClientLibrariesTest {
  private static final String PYTHON = "/usr/bin/python3";

  @TempDir
  static Path dir;
  static TestCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void pythonClient() throws Exception {
    assertThat(Path.of(PYTHON)).as("Debian's python3 (scripts/install-test-deps installs python3-kubernetes)")
        .exists();
    Path script = Path.of("src/test/python/k8s_client.py").toAbsolutePath();
    Path out = Files.createTempFile(dir, "py", ".txt");
    ProcessBuilder pb = new ProcessBuilder(List.of(PYTHON, script.toString(),
        cluster.api.kubeconfigPath().toString(), "default")).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("HOME", dir.toString());
    Process p = pb.start();
    if (!p.waitFor(150, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    String printed = Files.readString(out);
    assertThat(p.exitValue()).as(printed).isZero();
    assertThat(printed).contains("ok: a stale update is refused with 409 Conflict",
        "ok: watch resumed from a list's resourceVersion", "ok: a live watch saw the delete", "ALL OK");
  }

  @Test
  void fabric8Client() throws Exception {
    Config config = Config.fromKubeconfig(Files.readString(cluster.api.kubeconfigPath()));
    try (KubernetesClient k = new KubernetesClientBuilder().withConfig(config).build()) {
      assertThat(k.getKubernetesVersion().getMinor()).startsWith("32");
      k.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("fabric8").endMetadata().build())
          .create();
      var configMaps = k.configMaps().inNamespace("fabric8");
      ConfigMap created = configMaps.resource(new ConfigMapBuilder().withNewMetadata().withName("f8")
          .addToLabels("app", "f8").endMetadata().addToData("a", "1").build()).create();
      assertThat(created.getMetadata().getUid()).isNotBlank();

      ConfigMapList listed = configMaps.withLabel("app", "f8").list();
      assertThat(listed.getItems()).extracting(c -> c.getMetadata().getName()).containsExactly("f8");
      String listRv = listed.getMetadata().getResourceVersion();

      ConfigMap got = configMaps.withName("f8").get();
      got.getData().put("a", "2");
      ConfigMap updated = configMaps.resource(got).update();
      assertThat(updated.getData()).containsEntry("a", "2");

      ConfigMap stale = new ConfigMapBuilder(created).build();
      stale.getData().put("a", "stale");
      assertThatThrownBy(() -> configMaps.resource(stale).update())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
      assertThat(configMaps.withName("f8").get().getData()).containsEntry("a", "2");

      // A watch resumed from the list's resourceVersion sees the update; a delete made while it runs, too.
      List<String> events = new CopyOnWriteArrayList<>();
      try (Watch w = configMaps.watch(new ListOptionsBuilder().withResourceVersion(listRv).build(),
          new Watcher<ConfigMap>() {
            @Override
            public void eventReceived(Action action, ConfigMap cm) {
              events.add(action + " " + cm.getMetadata().getName() + " " + cm.getData());
            }

            @Override
            public void onClose(WatcherException cause) {}
          })) {
        await().atMost(Duration.ofSeconds(30)).until(() -> events.contains("MODIFIED f8 {a=2}"));
        assertThat(configMaps.withName("f8").delete()).hasSize(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> events.stream().anyMatch(e -> e.startsWith("DELETED f8")));
      }
      assertThat(configMaps.withName("f8").get()).isNull();
    }
  }

  @Test
  void metricsAreScrapedThroughTheAuthenticatedApi() throws Exception {
    Path out = Files.createTempFile(dir, "metrics", ".txt");
    ProcessBuilder pb = new ProcessBuilder("/usr/bin/kubectl", "get", "--raw", "/metrics")
        .redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("HOME", dir.toString());
    pb.environment().put("KUBECONFIG", cluster.api.kubeconfigPath().toString());
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String metrics = Files.readString(out);
    assertThat(p.exitValue()).as(metrics).isZero();
    assertThat(metrics).contains("# TYPE apiserver_request_total counter", "apiserver_request_duration_seconds_bucket",
        "apiserver_current_inflight_requests{request_kind=\"readOnly\"}", "jvm_memory_used_bytes");
  }
}
