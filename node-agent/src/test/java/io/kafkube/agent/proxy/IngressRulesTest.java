package io.kafkube.agent.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IngressRulesTest {
  private static final ObjectMapper M = new ObjectMapper();

  private static IngressRules.Ingress ingress(String name, String created, String spec) throws Exception {
    return IngressRules.Ingress.of(M.readTree("""
        {"metadata": {"name": "%s", "namespace": "shop", "creationTimestamp": "%s"}, "spec": %s}
        """.formatted(name, created, spec)));
  }

  private static final List<IngressRules.Ingress> INGRESSES;

  static {
    try {
      INGRESSES = List.of(
          ingress("main", "2026-01-01T00:00:00Z", """
              {"defaultBackend": {"service": {"name": "fallback", "port": {"number": 80}}},
               "rules": [
                 {"host": "shop.example.com", "http": {"paths": [
                    {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"number": 80}}}},
                    {"path": "/api", "pathType": "Prefix", "backend": {"service": {"name": "api", "port": {"name": "http"}}}},
                    {"path": "/api/health", "pathType": "Exact", "backend": {"service": {"name": "health", "port": {"number": 81}}}},
                    {"path": "/api/v2/", "pathType": "Prefix", "backend": {"service": {"name": "api2", "port": {"number": 80}}}}]}},
                 {"host": "*.example.com", "http": {"paths": [
                    {"path": "/", "pathType": "ImplementationSpecific", "backend": {"service": {"name": "wild", "port": {"number": 80}}}}]}},
                 {"http": {"paths": [
                    {"path": "/static", "pathType": "Prefix", "backend": {"service": {"name": "static", "port": {"number": 80}}}}]}}]}
              """),
          ingress("later", "2026-02-01T00:00:00Z", """
              {"defaultBackend": {"service": {"name": "other-fallback", "port": {"number": 80}}},
               "rules": [{"host": "shop.example.com", "http": {"paths": [
                 {"path": "/api/health", "pathType": "Prefix", "backend": {"service": {"name": "health-prefix", "port": {"number": 80}}}}]}}]}
              """));
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @ParameterizedTest(name = "{0}{1} -> {2}")
  @CsvSource({
      // host,             path,              service
      "shop.example.com,   /,                 web",
      "shop.example.com,   /cart,             web",
      "SHOP.example.com,   /cart,             web",
      "shop.example.com,   /api,              api",
      "shop.example.com,   /api/,             api",
      "shop.example.com,   /api/users,        api",
      "shop.example.com,   /apis,             web",            // Prefix matches whole path elements only
      "shop.example.com,   /api/health,       health",         // Exact wins over Prefix at equal length
      "shop.example.com,   /api/health/x,     health-prefix",  // the later Ingress's longer Prefix
      "shop.example.com,   /api/v2,           api2",           // a Prefix's trailing slash is ignored
      "shop.example.com,   /api/v2/items,     api2",
      "eu.example.com,     /anything,         wild",           // one-label wildcard
      "a.eu.example.com,   /static/x.css,     static",         // the wildcard covers one label only
      "example.com,        /static,           static",
      "other.org,          /static/app.js,    static",
      "other.org,          /,                 fallback",       // the oldest Ingress's default backend
  })
  void routesAsIngressSpecifies(String host, String path, String service) {
    Optional<IngressRules.Backend> b = IngressRules.route(INGRESSES, host, path);
    assertThat(b).map(IngressRules.Backend::service).contains(service);
  }

  @org.junit.jupiter.api.Test
  void namedAndNumberedBackendPorts() {
    assertThat(IngressRules.route(INGRESSES, "shop.example.com", "/api/x")).map(IngressRules.Backend::port)
        .contains("http");
    assertThat(IngressRules.route(INGRESSES, "shop.example.com", "/api/health")).map(IngressRules.Backend::port)
        .contains("81");
  }

  @org.junit.jupiter.api.Test
  void nothingMatchesWithoutADefaultBackend() throws Exception {
    List<IngressRules.Ingress> l = List.of(ingress("only", "2026-01-01T00:00:00Z", """
        {"rules": [{"host": "a.test", "http": {"paths": [
          {"path": "/x", "pathType": "Exact", "backend": {"service": {"name": "x", "port": {"number": 80}}}}]}}]}
        """));
    assertThat(IngressRules.route(l, "a.test", "/x")).isPresent();
    assertThat(IngressRules.route(l, "a.test", "/x/")).isEmpty();
    assertThat(IngressRules.route(l, "b.test", "/x")).isEmpty();
  }
}
