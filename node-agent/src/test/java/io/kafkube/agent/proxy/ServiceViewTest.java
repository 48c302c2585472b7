package io.kafkube.agent.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ServiceViewTest {
  private static final ObjectMapper M = new ObjectMapper();
  private final ServiceView view = new ServiceView();

  private void pod(String ns, String name, String app, String ip, boolean ready, boolean deleting) throws Exception {
    view.apply(ServiceView.PODS.key(ns, name).toString(), M.readTree("""
        {"metadata": {"name": "%s", "namespace": "%s", "labels": {"app": "%s", "tier": "web"} %s},
         "spec": {"containers": [{"name": "c", "ports": [{"name": "http", "containerPort": 8080}]}]},
         "status": {"phase": "Running", "podIP": "%s",
                    "conditions": [{"type": "Ready", "status": "%s"}]}}
        """.formatted(name, ns, app, deleting ? ", \"deletionTimestamp\": \"2026-01-01T00:00:00Z\"" : "", ip,
        ready ? "True" : "False")));
  }

  private void service(String ns, String name, String spec) throws Exception {
    view.apply(ServiceView.SERVICES.key(ns, name).toString(), M.readTree("""
        {"metadata": {"name": "%s", "namespace": "%s"}, "spec": %s}""".formatted(name, ns, spec)));
  }

  @Test
  void endpointsAreTheReadyMatchingPodsOfTheNamespace() throws Exception {
    pod("default", "a", "web", "127.2.0.2", true, false);
    pod("default", "b", "web", "127.2.0.3", true, false);
    pod("default", "c", "web", "127.2.0.4", false, false);     // not ready
    pod("default", "d", "web", "127.2.0.5", true, true);      // being deleted
    pod("default", "e", "db", "127.2.0.6", true, false);      // other labels
    pod("other", "f", "web", "127.2.0.7", true, false);       // other namespace
    service("default", "web", """
        {"type": "NodePort", "clusterIP": "127.1.0.10", "clusterIPs": ["127.1.0.10"], "selector": {"app": "web"},
         "ports": [{"name": "http", "port": 80, "targetPort": "http", "nodePort": 30080},
                   {"name": "alt", "port": 81, "targetPort": 9090}, {"name": "same", "port": 8080}]}
        """);
    ServiceView.Service s = view.service("default", "web").orElseThrow();
    assertThat(s.clusterIPs()).containsExactly("127.1.0.10");
    assertThat(view.endpoints(s, s.port("http").orElseThrow())).containsExactly(
        new ServiceView.Endpoint("127.2.0.2", 8080), new ServiceView.Endpoint("127.2.0.3", 8080));
    assertThat(view.endpoints(s, s.port("81").orElseThrow())).extracting(ServiceView.Endpoint::port)
        .containsOnly(9090);
    assertThat(view.endpoints(s, s.port("same").orElseThrow())).extracting(ServiceView.Endpoint::port)
        .containsOnly(8080); // targetPort defaults to port
  }

  @Test
  void readinessChangesAndDeletesMoveEndpoints() throws Exception {
    AtomicInteger changes = new AtomicInteger();
    view.onChange(changes::incrementAndGet);
    service("default", "web", """
        {"clusterIP": "127.1.0.11", "selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 8080}]}""");
    pod("default", "a", "web", "127.2.0.2", false, false);
    ServiceView.Service s = view.service("default", "web").orElseThrow();
    assertThat(view.endpoints(s, s.ports().get(0))).isEmpty();
    pod("default", "a", "web", "127.2.0.2", true, false);
    assertThat(view.endpoints(s, s.ports().get(0))).containsExactly(new ServiceView.Endpoint("127.2.0.2", 8080));
    int before = changes.get();
    pod("default", "a", "web", "127.2.0.2", true, false); // the same again: no change to report
    assertThat(changes.get()).isEqualTo(before);
    view.apply(ServiceView.PODS.key("default", "a").toString(), (com.fasterxml.jackson.databind.JsonNode) null);
    assertThat(view.endpoints(s, s.ports().get(0))).isEmpty();
  }

  @Test
  void headlessAndSelectorlessServices() throws Exception {
    pod("default", "a", "web", "127.2.0.2", true, false);
    service("default", "headless", """
        {"clusterIP": "None", "selector": {"app": "web"}, "ports": [{"port": 80}]}""");
    service("default", "manual", """
        {"clusterIP": "127.1.0.12", "ports": [{"port": 80}]}""");
    assertThat(view.service("default", "headless").orElseThrow().clusterIPs()).isEmpty();
    ServiceView.Service manual = view.service("default", "manual").orElseThrow();
    assertThat(view.endpoints(manual, manual.ports().get(0))).isEmpty();
  }
}
