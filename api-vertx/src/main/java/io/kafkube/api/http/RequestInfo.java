package io.kafkube.api.http;

import io.kafkube.api.ApiException;
import io.kafkube.api.discovery.Subresource;
import io.kafkube.schemas.resource.ObjectKey;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import io.kafkube.schemas.status.Statuses;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * What a resource request is about, parsed from its path as kube-apiserver's RequestInfoFactory
 * does: {@code /api/v1[/namespaces/<ns>]/<resource>[/<name>[/<subresource>]]} and the same under
 * {@code /apis/<group>/<version>}. {@code /api/v1/namespaces/<name>/status} is the namespace's
 * own subresource.
 *
 * @param namespace   the namespace of the request, or null (cluster scope, or all namespaces)
 * @param name        the object's name, or null for collections
 * @param subresource the subresource, or null
 */
public record RequestInfo(ResourceType type, String namespace, String name, Subresource subresource) {
  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

  /** The key of the named object. */
  public ObjectKey key() {
    return type.key(namespace, name);
  }

  public boolean named() {
    return name != null;
  }

  /**
   * Parses a resource path.
   *
   * @throws ApiException 404 when the path names no served resource
   */
  public static RequestInfo parse(String path, ResourceRegistry registry) {
    List<String> parts = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    String group;
    int at;
    if (parts.size() >= 2 && parts.get(0).equals("api") && parts.get(1).equals("v1")) {
      group = "";
      at = 2;
    } else if (parts.size() >= 3 && parts.get(0).equals("apis") && parts.get(2).equals("v1")) {
      group = parts.get(1);
      at = 3;
    } else {
      throw notFound();
    }
    List<String> rest = parts.subList(at, parts.size());
    String namespace = null;
    if (rest.size() >= 2 && rest.get(0).equals("namespaces")) {
      namespace = rest.get(1);
      if (rest.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(rest.get(2))) {
        rest = rest.subList(2, rest.size());
      } else {
        namespace = null;
      }
    }
    if (rest.isEmpty() || rest.size() > 3) {
      throw notFound();
    }
    ResourceType type = registry.byPlural(group, rest.get(0)).orElseThrow(RequestInfo::notFound);
    String name = rest.size() > 1 ? rest.get(1) : null;
    Subresource sub = null;
    if (rest.size() == 3) {
      sub = Subresource.find(type, rest.get(2));
      if (sub == null) {
        throw notFound();
      }
    }
    if (type.kind().equals("Namespace")) {
      namespace = null;
    }
    if (!type.namespaced() && namespace != null) {
      throw notFound();
    }
    if (name != null && name.isEmpty()) {
      throw notFound();
    }
    return new RequestInfo(type, namespace, name, sub);
  }

  static ApiException notFound() {
    return new ApiException(Statuses.status(404, "NotFound", "the server could not find the requested resource",
        null, null, null, List.of()));
  }
}
