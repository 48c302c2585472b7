package io.kafkube.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kafkube.cli.common.Endpoints;
import io.kafkube.cli.up.LocalCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kafkube up} runs a node agent with the process runtime: pods started with the real kubectl
 * run as processes of this machine on their own loopback address, report their status, and go away
 * when deleted.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class LocalClusterPodsTest {
  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir
  Path dir;

  @Test
  void podsRunAsProcessesReportStatusAndAreDeleted() throws Exception {
    // kafkube up's P (one: the scheduler reads the state topics directly)
    LocalCluster.Settings settings =
        new LocalCluster.Settings(dir, "kafkube", LocalCluster.DEFAULT_PARTITIONS, 0, 0, 0, 0);
    try (LocalCluster cluster = LocalCluster.start(settings)) {
      String kubeconfig = Endpoints.read(dir).get("kubeconfig");
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        Kubectl nodes = kubectl(kubeconfig, "get", "nodes", "-o",
            "jsonpath={.items[*].metadata.name} {.items[*].status.conditions[?(@.type==\"Ready\")].status}");
        assertThat(nodes.out()).isEqualTo(LocalCluster.nodeName(0) + " True");
      });

      Kubectl run = kubectl(kubeconfig, "run", "web", "--image=python:3", "--port", "8080", "--",
          "python3", "-m", "http.server", "8080", "--bind", "$(POD_IP)");
      assertThat(run.code()).as(run.out()).isZero();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        Kubectl phase = kubectl(kubeconfig, "get", "pod", "web", "-o",
            "jsonpath={.status.phase} {.status.containerStatuses[0].ready}");
        assertThat(phase.out()).isEqualTo("Running true");
      });
      String ip = kubectl(kubeconfig, "get", "pod", "web", "-o", "jsonpath={.status.podIP}").out();
      assertThat(ip).startsWith("127.2.");
      // Without a readiness probe the container is Ready once its process runs, as in Kubernetes; the
      // server answers once python has bound its socket (connection refused until then).
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).ignoreExceptionsInstanceOf(java.io.IOException.class)
          .untilAsserted(() -> {
        HttpResponse<String> res = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/")).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(200);
      });
      Kubectl table = kubectl(kubeconfig, "get", "pod", "web");
      assertThat(table.out()).contains("web", "1/1", "Running");

      Kubectl fail = kubectl(kubeconfig, "run", "fail", "--image=busybox", "--restart=Never", "--",
          "sh", "-c", "exit 1");
      assertThat(fail.code()).as(fail.out()).isZero();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        Kubectl failed = kubectl(kubeconfig, "get", "pod", "fail", "-o",
            "jsonpath={.status.phase} {.status.containerStatuses[0].state.terminated.exitCode}");
        assertThat(failed.out()).isEqualTo("Failed 1");
      });

      Kubectl delete = kubectl(kubeconfig, "delete", "pod", "web", "--timeout=90s");
      assertThat(delete.code()).as(delete.out()).isZero();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        Kubectl gone = kubectl(kubeconfig, "get", "pod", "web");
        assertThat(gone.code()).isNotZero();
        assertThat(gone.out()).contains("NotFound");
      });
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        try {
          HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/"))
              .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
          throw new AssertionError("the deleted pod's server still answers");
        } catch (java.io.IOException expected) {
          // connection refused: the process is gone
        }
      });
    }
  }

  /**
   * kubelet's behaviours seen through the real kubectl: a killed container process is restarted
   * (RESTARTS 1), a failing liveness probe restarts the container (with Unhealthy and Killing events in
   * {@code kubectl describe}), an image the node cannot run waits in ErrImagePull, ConfigMap and Secret
   * volumes hold the right files at their mount paths, a preStop hook runs before the container is
   * terminated, and a container over its memory limit is OOMKilled. Containers report through a
   * hostPath volume (their own output files), since {@code kubectl logs} is another piece of work.
   */
  @Test
  void kubeletScenariosThroughKubectl() throws Exception {
    LocalCluster.Settings settings = new LocalCluster.Settings(dir, "kafkube", 3, 0, 0, 0, 0);
    try (LocalCluster cluster = LocalCluster.start(settings)) {
      String kc = Endpoints.read(dir).get("kubeconfig");
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
          assertThat(kubectl(kc, "get", "nodes").out()).contains(" Ready"));

      // a ConfigMap volume and a Secret volume: the process prints their files into its hostPath output
      Path out = java.nio.file.Files.createDirectories(dir.resolve("out-volumes"));
      assertThat(kubectl(kc, "create", "configmap", "app-config", "--from-literal=greeting=hello from a configmap")
          .code()).isZero();
      assertThat(kubectl(kc, "create", "secret", "generic", "app-secret", "--from-literal=password=s3cret").code())
          .isZero();
      assertThat(kubectl(kc, "create", "serviceaccount", "app-sa").code()).isZero();
      Kubectl apply = kubectlIn(kc, """
          apiVersion: v1
          kind: Pod
          metadata: {name: reader}
          spec:
            containers:
            - name: reader
              image: busybox
              command: ["sh", "-c", "cat /etc/app/config/greeting > /out/config; cat /etc/app/secret/password > /out/secret; cat /var/run/secrets/tokens/token > /out/token; cat /etc/podinfo/name > /out/name; echo $$$$ > /out/pid; exec sleep 3600"]
              volumeMounts:
              - {name: config, mountPath: /etc/app/config}
              - {name: secret, mountPath: /etc/app/secret, readOnly: true}
              - {name: out, mountPath: /out}
              - {name: token, mountPath: /var/run/secrets/tokens, readOnly: true}
              - {name: podinfo, mountPath: /etc/podinfo}
            serviceAccountName: app-sa
            volumes:
            - name: token
              projected:
                sources:
                - serviceAccountToken: {path: token, expirationSeconds: 3600}
            - name: podinfo
              downwardAPI:
                items:
                - {path: name, fieldRef: {fieldPath: metadata.name}}
            - name: config
              configMap: {name: app-config}
            - name: secret
              secret: {secretName: app-secret, defaultMode: 0400}
            - name: out
              hostPath: {path: %s, type: DirectoryOrCreate}
          """.formatted(out), "apply", "-f", "-");
      assertThat(apply.code()).as(apply.out()).isZero();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() ->
          java.nio.file.Files.exists(out.resolve("pid")) && !java.nio.file.Files.readString(out.resolve("pid")).isBlank());
      assertThat(java.nio.file.Files.readString(out.resolve("config"))).isEqualTo("hello from a configmap");
      assertThat(java.nio.file.Files.readString(out.resolve("secret"))).isEqualTo("s3cret");
      assertThat(java.nio.file.Files.readString(out.resolve("name"))).isEqualTo("reader");
      // the projected token was issued by the API server for the pod's service account
      String[] jwt = java.nio.file.Files.readString(out.resolve("token")).split("\\.");
      assertThat(jwt).hasSize(3);
      assertThat(new String(java.util.Base64.getUrlDecoder().decode(jwt[1]), StandardCharsets.UTF_8))
          .contains("\"sub\":\"system:serviceaccount:default:app-sa\"");
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
          assertThat(kubectl(kc, "describe", "pod", "reader").out())
              .contains("Pulled", "Created", "Started", "Started container reader"));

      // killing the container's process: kubelet restarts it, RESTARTS 1
      long pid = Long.parseLong(java.nio.file.Files.readString(out.resolve("pid")).trim());
      java.nio.file.Files.delete(out.resolve("pid"));
      assertThat(ProcessHandle.of(pid).orElseThrow().destroyForcibly()).isTrue();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        Kubectl get = kubectl(kc, "get", "pod", "reader");
        assertThat(get.out()).contains("reader", "1/1", "Running");
        assertThat(get.out().lines().skip(1).findFirst().orElse("").split("\\s+")[3]).as(get.out()).isEqualTo("1");
      });

      // a failing liveness probe: restarted, with kubelet's events
      Kubectl live = kubectlIn(kc, """
          apiVersion: v1
          kind: Pod
          metadata: {name: unhealthy}
          spec:
            terminationGracePeriodSeconds: 2
            containers:
            - name: app
              image: busybox
              command: ["sleep", "3600"]
              livenessProbe:
                exec: {command: ["false"]}
                periodSeconds: 1
                failureThreshold: 2
          """, "apply", "-f", "-");
      assertThat(live.code()).as(live.out()).isZero();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
          assertThat(Integer.parseInt(kubectl(kc, "get", "pod", "unhealthy", "-o",
              "jsonpath={.status.containerStatuses[0].restartCount}").out())).isGreaterThanOrEqualTo(1));
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
          assertThat(kubectl(kc, "describe", "pod", "unhealthy").out())
              .contains("Unhealthy", "Liveness probe failed", "Killing", "failed liveness probe, will be restarted"));

      // an image this node cannot run
      assertThat(kubectl(kc, "run", "noimage", "--image=registry.example/no-such-image:1").code()).isZero();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        assertThat(kubectl(kc, "get", "pod", "noimage", "-o",
            "jsonpath={.status.containerStatuses[0].state.waiting.reason}").out())
            .isIn("ErrImagePull", "ImagePullBackOff");
        assertThat(kubectl(kc, "describe", "pod", "noimage").out()).contains("Failed to pull image");
      });

      // a preStop hook runs before the container gets SIGTERM
      Path order = java.nio.file.Files.createDirectories(dir.resolve("out-prestop"));
      Kubectl hook = kubectlIn(kc, """
          apiVersion: v1
          kind: Pod
          metadata: {name: hooked}
          spec:
            terminationGracePeriodSeconds: 20
            containers:
            - name: app
              image: busybox
              command: ["sh", "-c", "trap 'echo sigterm >> /out/order; exit 0' TERM; echo started > /out/order; while true; do sleep 0.2; done"]
              lifecycle:
                preStop:
                  exec: {command: ["sh", "-c", "echo prestop >> /out/order; sleep 1"]}
              volumeMounts: [{name: out, mountPath: /out}]
            volumes:
            - name: out
              hostPath: {path: %s, type: DirectoryOrCreate}
          """.formatted(order), "apply", "-f", "-");
      assertThat(hook.code()).as(hook.out()).isZero();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() ->
          java.nio.file.Files.exists(order.resolve("order")));
      Kubectl del = kubectl(kc, "delete", "pod", "hooked", "--timeout=90s");
      assertThat(del.code()).as(del.out()).isZero();
      assertThat(java.nio.file.Files.readAllLines(order.resolve("order"))).containsExactly("started", "prestop", "sigterm");

      // over its memory limit: OOMKilled, exit code 137 (needs cgroups, which the agent reports on the node when absent)
      io.kafkube.agent.cgroup.Cgroups cg = io.kafkube.agent.cgroup.Cgroups.detect();
      org.junit.jupiter.api.Assumptions.assumeTrue(cg.mode() != io.kafkube.agent.cgroup.Cgroups.Mode.NONE,
          "no writable cgroups here: " + cg.unavailableReason());
      Kubectl oom = kubectlIn(kc, """
          apiVersion: v1
          kind: Pod
          metadata: {name: hog}
          spec:
            restartPolicy: Never
            containers:
            - name: hog
              image: busybox
              command: ["tail", "/dev/zero"]
              resources:
                limits: {memory: 32Mi, cpu: 500m}
          """, "apply", "-f", "-");
      assertThat(oom.code()).as(oom.out()).isZero();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
          assertThat(kubectl(kc, "get", "pod", "hog", "-o", "jsonpath={.status.containerStatuses[0].state.terminated"
              + ".reason} {.status.containerStatuses[0].state.terminated.exitCode}").out()).isEqualTo("OOMKilled 137"));
      assertThat(kubectl(kc, "get", "pod", "hog").out()).contains("OOMKilled");
    }
  }

  /** kubectl with {@code input} on its standard input ({@code apply -f -}). */
  private Kubectl kubectlIn(String kubeconfig, String input, String... args) throws Exception {
    return Kubectl.run(dir, kubeconfig, input, args);
  }

  private Kubectl kubectl(String kubeconfig, String... args) throws Exception {
    return Kubectl.run(dir, kubeconfig, null, args);
  }
}
