package io.kafkube.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kafkube.agent.proxy.ProxyConfig;
import io.kafkube.agent.proxy.ProxyHost;
import io.kafkube.schemas.envelope.ReplyView;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Service and Ingress proxies against real pods: two python http.server processes serve their
 * own names; a ClusterIP, a NodePort and an Ingress reach both, and stop reaching a pod once it is gone.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceProxyIntegrationTest {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final ResourceType SERVICES = ResourceRegistry.kubernetes().byGroupResource("services").orElseThrow();
  private static final ResourceType INGRESSES = ResourceRegistry.kubernetes()
      .byGroupResource("ingresses.networking.k8s.io").orElseThrow();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir
  static Path dir;
  static TestCluster cluster;
  static AgentHost agent;
  static ProxyHost proxy;

  @BeforeAll
  static void start() throws Exception {
    cluster = new TestCluster(dir);
    agent = AgentHost.start(cluster.agentConfig(dir.resolve("agent"), "proxy-it").build(), cluster.topics,
        Duration.ofMinutes(2));
    proxy = ProxyHost.start(ProxyConfig.defaults(cluster.kafka.bootstrapServers()).withIngressPort(0), cluster.topics,
        Duration.ofMinutes(2));
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.close();
    }
    if (agent != null) {
      agent.shutdown(true);
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** A pod whose http.server serves a directory holding one file, {@code who}, with the pod's name. */
  private static void webPod(String name) throws Exception {
    Path root = Files.createDirectories(dir.resolve("www-" + name));
    Files.writeString(root.resolve("who"), name);
    ReplyView r = cluster.create(TestCluster.PODS, "default", name, """
        {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": "%s", "namespace": "default", "labels": {"app": "web"}},
         "spec": {"terminationGracePeriodSeconds": 2, "containers": [
           {"name": "web", "image": "python:3",
            "ports": [{"name": "http", "containerPort": 8080}],
            "args": ["python3", "-m", "http.server", "8080", "--bind", "$(POD_IP)", "--directory", "%s"],
            "readinessProbe": {"tcpSocket": {"port": "http"}, "periodSeconds": 1}}]}}
        """.formatted(name, root));
    assertThat(r.success()).as(r.message()).isTrue();
  }

  private static String get(String url, String host) throws InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
    if (host != null) {
      b.header("X-Test-Host", host);
    }
    try {
      HttpResponse<String> resp = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return resp.statusCode() + " " + resp.body();
    } catch (IOException e) {
      return "refused: " + e;
    }
  }

  /** A raw HTTP/1.1 GET, to set the Host header (java.net.http does not let a caller set it). */
  private static String getWithHost(int port, String host, String path) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      s.setSoTimeout(5000);
      s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      String resp = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String status = resp.substring(resp.indexOf(' ') + 1, resp.indexOf(' ') + 4);
      return status + " " + resp.substring(resp.indexOf("\r\n\r\n") + 4);
    }
  }

  @Test
  @Order(1)
  void clusterIpAndNodePortBalanceOverReadyPods() throws Exception {
    webPod("web-a");
    webPod("web-b");
    ReplyView r = cluster.create(SERVICES, "default", "web", """
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "default"},
         "spec": {"type": "NodePort", "clusterIP": "127.1.0.10", "clusterIPs": ["127.1.0.10"],
                  "selector": {"app": "web"},
                  "ports": [{"name": "http", "port": 80, "targetPort": "http", "nodePort": 30080}]}}
        """);
    assertThat(r.success()).as(r.message()).isTrue();
    Set<String> seen = new HashSet<>();
    await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
      seen.add(get("http://127.1.0.10:80/who", null));
      assertThat(seen).contains("200 web-a", "200 web-b");
    });
    seen.clear();
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
      seen.add(get("http://127.0.0.1:30080/who", null));
      assertThat(seen).contains("200 web-a", "200 web-b");
    });
  }

  @Test
  @Order(2)
  void ingressRoutesByHostAndPath() throws Exception {
    ReplyView r = cluster.create(INGRESSES, "default", "web", """
        {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "web", "namespace": "default"},
         "spec": {"rules": [
           {"host": "web.kafkube.test", "http": {"paths": [
             {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"name": "http"}}}}]}},
           {"host": "gone.kafkube.test", "http": {"paths": [
             {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "nothing", "port": {"number": 80}}}}]}}]}}
        """);
    assertThat(r.success()).as(r.message()).isTrue();
    int port = proxy.ingressPort();
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
        assertThat(getWithHost(port, "web.kafkube.test", "/who")).isIn("200 web-a", "200 web-b"));
    assertThat(getWithHost(port, "other.kafkube.test", "/who")).startsWith("404 ");
    assertThat(getWithHost(port, "gone.kafkube.test", "/who")).startsWith("503 ");
  }

  @Test
  @Order(3)
  void aDeletedPodLeavesTheServiceAndNoEndpointsRefuses() throws Exception {
    assertThat(cluster.deletePod("web-a", 2).success()).isTrue();
    await().atMost(WAIT).untilAsserted(() -> {
      for (int i = 0; i < 6; i++) {
        assertThat(get("http://127.1.0.10:80/who", null)).isEqualTo("200 web-b");
      }
    });
    assertThat(cluster.deletePod("web-b", 2).success()).isTrue();
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(get("http://127.1.0.10:80/who", null)).startsWith("refused: ")); // closed at once: no endpoint
    assertThat(getWithHost(proxy.ingressPort(), "web.kafkube.test", "/who")).startsWith("503 ");
  }
}
