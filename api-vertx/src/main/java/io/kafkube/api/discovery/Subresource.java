package io.kafkube.api.discovery;

import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.resource.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The subresources the API serves, per kind: the one list discovery and routing both read. */
public enum Subresource {
  STATUS("status", List.of("get", "patch", "update")),
  SCALE("scale", List.of("get", "patch", "update")),
  BINDING("binding", List.of("create")),
  /** {@code serviceaccounts/<name>/token}: TokenRequest. */
  TOKEN("token", List.of("create")),
  /** {@code pods/<name>/log}: the container's log, from its node agent. */
  LOG("log", List.of("get")),
  /** {@code pods/<name>/exec}: a command in the container, over WebSocket through its node agent. */
  EXEC("exec", List.of("create", "get"));

  private static final Set<String> SCALABLE = Set.of("Deployment", "ReplicaSet", "StatefulSet");

  private final String path;
  private final List<String> verbs;

  Subresource(String path, List<String> verbs) {
    this.path = path;
    this.verbs = verbs;
  }

  public String path() {
    return path;
  }

  public List<String> verbs() {
    return verbs;
  }

  /**
   * The subresources of a kind: status when it has a status, scale for workloads, binding, log and exec for pods,
   * token for service accounts.
   */
  public static List<Subresource> of(ResourceType type) {
    List<Subresource> out = new ArrayList<>();
    if (KafkubeSchemas.kind(type).getField("status") != null) {
      out.add(STATUS);
    }
    if (SCALABLE.contains(type.kind()) && type.group().equals("apps")) {
      out.add(SCALE);
    }
    if (type.kind().equals("Pod")) {
      out.add(BINDING);
      out.add(LOG);
      out.add(EXEC);
    }
    if (type.kind().equals("ServiceAccount") && type.group().isEmpty()) {
      out.add(TOKEN);
    }
    return out;
  }

  /** The subresource {@code name} of {@code type}, or null when it has none by that name. */
  public static Subresource find(ResourceType type, String name) {
    for (Subresource s : of(type)) {
      if (s.path.equals(name)) {
        return s;
      }
    }
    return null;
  }
}
