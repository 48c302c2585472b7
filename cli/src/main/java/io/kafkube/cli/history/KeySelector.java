package io.kafkube.cli.history;

import io.kafkube.schemas.resource.ObjectKey;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;

/**
 * What {@code kafkube history} is asked for: one object ({@code pods/default/web},
 * {@code deployments.apps/default/web}, {@code nodes/node-1}, or its key
 * {@code /registry/pods/default/web}) or every key under a prefix ({@code /registry/pods/}).
 */
record KeySelector(String key, boolean prefix) {

  static KeySelector parse(String arg, ResourceRegistry registry) {
    if (arg.startsWith("/")) {
      boolean exact = ObjectKey.parse(arg, registry).isPresent();
      return new KeySelector(arg, !exact);
    }
    String[] parts = arg.split("/");
    ResourceType type = registry.resolve(parts[0])
        .orElseThrow(() -> new IllegalArgumentException("unknown resource \"" + parts[0] + "\""));
    if (parts.length == 1) {
      return new KeySelector(type.keyPrefix(), true);
    }
    if (type.namespaced()) {
      if (parts.length == 2) {
        return new KeySelector(type.keyPrefix() + parts[1] + "/", true);
      }
      if (parts.length == 3) {
        return new KeySelector(type.key(parts[1], parts[2]).toString(), false);
      }
    } else if (parts.length == 2) {
      return new KeySelector(type.key(null, parts[1]).toString(), false);
    }
    throw new IllegalArgumentException("expected <resource>/<namespace>/<name>, <resource>/<name> for cluster-scoped "
        + "kinds, or a key prefix such as /registry/pods/; got \"" + arg + "\"");
  }

  boolean matches(String k) {
    return prefix ? k.startsWith(key) : k.equals(key);
  }
}
