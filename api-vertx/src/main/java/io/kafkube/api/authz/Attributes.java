package io.kafkube.api.authz;

import io.kafkube.schemas.envelope.User;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * What a request asks to do, as kube-apiserver's authorizer sees it: a resource request (verb,
 * API group, namespace, resource, subresource, name) or a non-resource request (verb, path).
 * {@link #of} parses it from the method and path as kube-apiserver's RequestInfoFactory does,
 * without knowing which resources exist.
 *
 * @param namespace   the request's namespace, or "" (cluster scope or all namespaces)
 * @param subresource the subresource, or ""
 * @param name        the object's name, or "" (collections, create)
 * @param path        the URL path (what non-resource rules match)
 */
public record Attributes(User user, String verb, boolean resourceRequest, String apiGroup, String namespace,
    String resource, String subresource, String name, String path) {
  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");
  private static final Set<String> STREAMING_SUBRESOURCES = Set.of("exec", "attach", "portforward");

  public Attributes {
    apiGroup = nz(apiGroup);
    namespace = nz(namespace);
    resource = nz(resource);
    subresource = nz(subresource);
    name = nz(name);
    path = nz(path);
  }

  /** A resource request. */
  public static Attributes resource(User user, String verb, String group, String namespace, String resource,
      String subresource, String name) {
    return new Attributes(user, verb, true, group, namespace, resource, subresource, name, "");
  }

  /** A non-resource request ({@code /version}, {@code /apis}, ...). */
  public static Attributes nonResource(User user, String verb, String path) {
    return new Attributes(user, verb, false, "", "", "", "", "", path);
  }

  /**
   * The attributes of an HTTP request: {@code /api/v1/...} and {@code /apis/<group>/<version>/...}
   * with at least a resource are resource requests, anything else is a non-resource request whose
   * verb is the lowercase method.
   */
  public static Attributes of(User user, String method, String path, boolean watch) {
    return of(user, method, path, watch, null);
  }

  /**
   * As {@link #of(User, String, String, boolean)}; a list or watch whose {@code fieldSelector} pins
   * {@code metadata.name} is authorized with that name, as kube-apiserver does (so that a rule with
   * {@code resourceNames} allows watching its objects one by one).
   */
  public static Attributes of(User user, String method, String path, boolean watch, String fieldSelector) {
    Attributes a = parse(user, method, path, watch);
    if (a.resourceRequest() && a.name().isEmpty() && (a.verb().equals("list") || a.verb().equals("watch"))) {
      String name = selectedName(fieldSelector);
      if (name != null) {
        return resource(user, a.verb(), a.apiGroup(), a.namespace(), a.resource(), a.subresource(), name);
      }
    }
    return a;
  }

  /** The name a field selector requires exactly ({@code metadata.name=x} or {@code ==}), if a valid one. */
  static String selectedName(String fieldSelector) {
    if (fieldSelector == null || fieldSelector.isBlank()) {
      return null;
    }
    for (String term : fieldSelector.split(",")) {
      String t = term.trim();
      if (t.contains("!=")) {
        continue;
      }
      int eq = t.indexOf('=');
      if (eq <= 0 || !t.substring(0, eq).trim().equals("metadata.name")) {
        continue;
      }
      String value = t.substring(t.startsWith("=", eq + 1) ? eq + 2 : eq + 1).trim();
      boolean valid = !value.isEmpty() && !value.equals(".") && !value.equals("..") && !value.contains("/")
          && !value.contains("%");
      return valid ? value : null;
    }
    return null;
  }

  private static Attributes parse(User user, String method, String path, boolean watch) {
    List<String> parts = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    String group;
    int at;
    if (parts.size() >= 3 && parts.get(0).equals("api")) {
      group = "";
      at = 2;
    } else if (parts.size() >= 4 && parts.get(0).equals("apis")) {
      group = parts.get(1);
      at = 3;
    } else {
      return nonResource(user, method.toLowerCase(java.util.Locale.ROOT), path);
    }
    List<String> rest = parts.subList(at, parts.size());
    String namespace = "";
    if (rest.get(0).equals("namespaces") && rest.size() > 1) {
      namespace = rest.get(1);
      if (rest.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(rest.get(2))) {
        rest = rest.subList(2, rest.size());
      }
    }
    String resource = rest.get(0);
    String name = rest.size() > 1 ? rest.get(1) : "";
    String sub = rest.size() > 2 ? rest.get(2) : "";
    String verb = switch (method) {
      // kube-apiserver 1.30+: the WebSocket GET of exec, attach and portforward needs create, as their POST
      case "GET" -> STREAMING_SUBRESOURCES.contains(sub) ? "create" : watch ? "watch" : name.isEmpty() ? "list" : "get";
      case "HEAD" -> watch ? "watch" : name.isEmpty() ? "list" : "get";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
      default -> method.toLowerCase(java.util.Locale.ROOT);
    };
    return resource(user, verb, group, namespace, resource, sub, name);
  }

  /** {@code pods} or {@code pods/log}: what a rule's {@code resources} entry is compared with. */
  public String resourceWithSubresource() {
    return subresource.isEmpty() ? resource : resource + "/" + subresource;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
