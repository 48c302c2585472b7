package io.kafkube.agent.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which backend an HTTP request goes to, by the rules of {@code networking.k8s.io/v1} Ingress: hosts
 * match exactly or by a one-label wildcard ({@code *.example.com}); among the paths of the matching
 * rules the longest match wins, Exact before Prefix at equal length; Prefix matches whole path elements
 * ({@code /foo} matches {@code /foo/bar}, not {@code /foobar}); ImplementationSpecific is treated as
 * Prefix. Rules with an exact host win over wildcard hosts, which win over rules without a host; when
 * nothing matches, the oldest Ingress's {@code defaultBackend}.
 */
public final class IngressRules {
  private IngressRules() {}

  /** A Service backend: the Service in the Ingress's namespace and its port (number or name). */
  public record Backend(String namespace, String service, String port) {}

  /** One path of one rule. {@code host} is null for a rule that matches every host. */
  public record Path(String host, String path, String pathType, Backend backend) {}

  /** An Ingress, reduced to what routing needs. */
  public record Ingress(String namespace, String name, String created, List<Path> paths, Backend defaultBackend) {
    static Ingress of(JsonNode j) {
      String ns = j.path("metadata").path("namespace").asText();
      List<Path> paths = new ArrayList<>();
      for (JsonNode rule : j.path("spec").path("rules")) {
        String host = rule.hasNonNull("host") && !rule.path("host").asText().isEmpty()
            ? rule.path("host").asText().toLowerCase(Locale.ROOT) : null;
        for (JsonNode p : rule.path("http").path("paths")) {
          Backend b = backend(ns, p.path("backend"));
          if (b != null) {
            paths.add(new Path(host, p.path("path").asText("/").isEmpty() ? "/" : p.path("path").asText("/"),
                p.path("pathType").asText("ImplementationSpecific"), b));
          }
        }
      }
      return new Ingress(ns, j.path("metadata").path("name").asText(),
          j.path("metadata").path("creationTimestamp").asText(""), List.copyOf(paths),
          backend(ns, j.path("spec").path("defaultBackend")));
    }

    private static Backend backend(String ns, JsonNode b) {
      JsonNode svc = b.path("service");
      if (!svc.hasNonNull("name")) {
        return null; // resource backends are not served
      }
      JsonNode port = svc.path("port");
      String p = port.hasNonNull("name") && !port.path("name").asText().isEmpty()
          ? port.path("name").asText() : Integer.toString(port.path("number").asInt(80));
      return new Backend(ns, svc.path("name").asText(), p);
    }
  }

  /** The backend of a request to {@code host} (without port) and {@code path}, if any. */
  public static Optional<Backend> route(List<Ingress> ingresses, String host, String path) {
    String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
    String p = path == null || path.isEmpty() ? "/" : path;
    for (int tier = 0; tier < 3; tier++) {
      Path best = null;
      for (Ingress ing : ingresses) {
        for (Path candidate : ing.paths()) {
          if (hostTier(candidate.host(), h) != tier || !pathMatches(candidate, p)) {
            continue;
          }
          if (best == null || better(candidate, best)) {
            best = candidate;
          }
        }
      }
      if (best != null) {
        return Optional.of(best.backend());
      }
    }
    return ingresses.stream().map(Ingress::defaultBackend).filter(java.util.Objects::nonNull).findFirst();
  }

  /** 0: exact host match, 1: wildcard match, 2: rule without host, -1: no match. */
  static int hostTier(String ruleHost, String host) {
    if (ruleHost == null) {
      return 2;
    }
    if (ruleHost.startsWith("*.")) {
      String suffix = ruleHost.substring(1); // ".example.com"
      int dot = host.indexOf('.');
      return dot > 0 && host.substring(dot).equals(suffix) ? 1 : -1;
    }
    return ruleHost.equals(host) ? 0 : -1;
  }

  static boolean pathMatches(Path rule, String path) {
    if (rule.pathType().equals("Exact")) {
      return rule.path().equals(path);
    }
    String prefix = trimSlash(rule.path());
    if (prefix.isEmpty()) {
      return true; // "/" matches every path
    }
    String p = trimSlash(path);
    return p.equals(prefix) || p.startsWith(prefix + "/");
  }

  private static boolean better(Path a, Path b) {
    int la = trimSlash(a.path()).length();
    int lb = trimSlash(b.path()).length();
    if (la != lb) {
      return la > lb;
    }
    return a.pathType().equals("Exact") && !b.pathType().equals("Exact");
  }

  private static String trimSlash(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '/') {
      end--;
    }
    return s.substring(0, end);
  }
}
