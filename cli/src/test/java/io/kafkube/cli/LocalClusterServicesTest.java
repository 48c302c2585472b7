package io.kafkube.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kafkube.cli.common.Endpoints;
import io.kafkube.cli.up.LocalCluster;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kafkube up} proxies Services and Ingresses: a pod, a NodePort Service and an Ingress applied
 * with the real kubectl are reachable on the Service's ClusterIP, on the NodePort and through the
 * Ingress proxy by host name.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class LocalClusterServicesTest {
  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir
  Path dir;

  @Test
  void serviceClusterIpNodePortAndIngressReachThePod() throws Exception {
    Path www = Files.createDirectories(dir.resolve("www"));
    Files.writeString(www.resolve("who"), "web");
    Path manifest = dir.resolve("web.yaml");
    Files.writeString(manifest, """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          labels: {app: web}
        spec:
          containers:
          - name: web
            image: python:3
            ports: [{name: http, containerPort: 8080}]
            args: [python3, -m, http.server, "8080", --bind, $(POD_IP), --directory, %s]
            readinessProbe: {tcpSocket: {port: http}, periodSeconds: 1}
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          type: NodePort
          clusterIP: 127.1.0.20
          selector: {app: web}
          ports: [{name: http, port: 80, targetPort: http, nodePort: 30123}]
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: web
        spec:
          rules:
          - host: web.kafkube.test
            http:
              paths:
              - {path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}
        """.formatted(www));
    LocalCluster.Settings settings = new LocalCluster.Settings(dir, "kafkube", 3, 0, 0, 0, 0, 0, 0);
    try (LocalCluster cluster = LocalCluster.start(settings)) {
      Endpoints endpoints = Endpoints.read(dir);
      String kubeconfig = endpoints.get("kubeconfig");
      Kubectl apply = kubectl(kubeconfig, "apply", "-f", manifest.toString());
      assertThat(apply.code()).as(apply.out()).isZero();
      assertThat(apply.out()).contains("pod/web created", "service/web created", "ingress.networking.k8s.io/web created");

      Kubectl svc = kubectl(kubeconfig, "get", "service", "web");
      assertThat(svc.out()).containsPattern("web\\s+NodePort\\s+127\\.1\\.0\\.20\\s+<none>\\s+80:30123/TCP");

      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
          assertThat(get("127.1.0.20", 80, "127.1.0.20")).isEqualTo("200 web"));
      assertThat(get("127.0.0.1", 30123, "127.0.0.1")).isEqualTo("200 web");
      // kubectl expose: the ClusterIP and NodePort are allocated by the API server's admission
      Kubectl expose = kubectl(kubeconfig, "expose", "pod", "web", "--name", "web-auto", "--port", "8000",
          "--target-port", "8080", "--type", "NodePort");
      assertThat(expose.code()).as(expose.out()).isZero();
      String[] allocated = kubectl(kubeconfig, "get", "service", "web-auto", "-o",
          "jsonpath={.spec.clusterIP} {.spec.ports[0].nodePort}").out().split(" ");
      assertThat(allocated[0]).startsWith("127.1.");
      assertThat(Integer.parseInt(allocated[1])).isBetween(30000, 32767);
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        assertThat(get(allocated[0], 8000, allocated[0])).isEqualTo("200 web");
        assertThat(get("127.0.0.1", Integer.parseInt(allocated[1]), "127.0.0.1")).isEqualTo("200 web");
      });

      int ingress = URI.create(endpoints.get("ingress")).getPort();
      assertThat(get("127.0.0.1", ingress, "web.kafkube.test")).isEqualTo("200 web");
      assertThat(get("127.0.0.1", ingress, "elsewhere.test")).startsWith("404 ");
      // kubectl create ingress sends protobuf, whose IngressRule keeps http under ingressRuleValue
      Kubectl create = kubectl(kubeconfig, "create", "ingress", "web-cli", "--rule=cli.kafkube.test/*=web:80");
      assertThat(create.code()).as(create.out()).isZero();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
          assertThat(get("127.0.0.1", ingress, "cli.kafkube.test")).isEqualTo("200 web"));

      Kubectl delete = kubectl(kubeconfig, "delete", "pod", "web", "--timeout=90s");
      assertThat(delete.code()).as(delete.out()).isZero();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
          assertThat(get("127.0.0.1", ingress, "web.kafkube.test")).startsWith("503 "));
    }
  }

  /** GET /who with a Host header; "status body", or "refused" when the connection is refused or closed. */
  private static String get(String ip, int port, String host) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(ip, port), 2000);
      s.setSoTimeout(5000);
      s.getOutputStream().write(("GET /who HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      String resp = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int sp = resp.indexOf(' ');
      int body = resp.indexOf("\r\n\r\n");
      return sp < 0 || body < 0 ? "refused" : resp.substring(sp + 1, sp + 4) + " " + resp.substring(body + 4);
    } catch (IOException e) {
      return "refused";
    }
  }

  private Kubectl kubectl(String kubeconfig, String... args) throws Exception {
    return Kubectl.run(dir, kubeconfig, null, args);
  }
}
