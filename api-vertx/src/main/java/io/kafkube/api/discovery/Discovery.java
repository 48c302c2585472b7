package io.kafkube.api.discovery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Discovery documents, built once from the resource registry: legacy ({@code APIVersions},
 * {@code APIGroupList}, {@code APIGroup}, {@code APIResourceList}) and aggregated
 * ({@code apidiscovery.k8s.io/v2 APIGroupDiscoveryList}).
 */
public final class Discovery {
  /** The exact Content-Type kubectl needs to accept an aggregated answer. */
  public static final String AGGREGATED_CONTENT_TYPE =
      "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
  public static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** A resource that is served but not stored (a review): create only, cluster-scoped. */
  public record CreateOnly(String group, String plural, String singular, String kind) {}

  /**
   * {@code authentication.k8s.io/v1}: what {@code kubectl auth whoami} posts, and
   * {@code authorization.k8s.io/v1}: what {@code kubectl auth can-i} posts.
   */
  public static final List<CreateOnly> CREATE_ONLY = List.of(
      new CreateOnly("authentication.k8s.io", "selfsubjectreviews", "selfsubjectreview", "SelfSubjectReview"),
      new CreateOnly("authorization.k8s.io", "selfsubjectaccessreviews", "selfsubjectaccessreview",
          "SelfSubjectAccessReview"),
      new CreateOnly("authorization.k8s.io", "selfsubjectrulesreviews", "selfsubjectrulesreview",
          "SelfSubjectRulesReview"));
  private static final List<String> CREATE = List.of("create");

  private final ResourceRegistry registry;
  private final Map<String, List<ResourceType>> byGroup = new LinkedHashMap<>();

  public Discovery(ResourceRegistry registry) {
    this.registry = registry;
    for (ResourceType t : registry.all()) {
      byGroup.computeIfAbsent(t.group(), g -> new ArrayList<>()).add(t);
    }
  }

  /** Whether {@code group}/{@code version} is served. */
  public boolean serves(String group, String version) {
    return (byGroup.containsKey(group) || !createOnly(group).isEmpty()) && "v1".equals(version);
  }

  public boolean servesGroup(String group) {
    return !group.isEmpty() && (byGroup.containsKey(group) || !createOnly(group).isEmpty());
  }

  private static List<CreateOnly> createOnly(String group) {
    return CREATE_ONLY.stream().filter(c -> c.group().equals(group)).toList();
  }

  private static List<String> createOnlyGroups() {
    return CREATE_ONLY.stream().map(CreateOnly::group).distinct().toList();
  }

  /** {@code GET /api}, legacy. */
  public ObjectNode apiVersions(String serverAddress) {
    ObjectNode n = F.objectNode();
    n.put("kind", "APIVersions");
    n.putArray("versions").add("v1");
    ObjectNode cidr = n.putArray("serverAddressByClientCIDRs").addObject();
    cidr.put("clientCIDR", "0.0.0.0/0");
    cidr.put("serverAddress", serverAddress);
    return n;
  }

  /** {@code GET /apis}, legacy. */
  public ObjectNode apiGroupList() {
    ObjectNode n = F.objectNode();
    n.put("kind", "APIGroupList");
    n.put("apiVersion", "v1");
    ArrayNode groups = n.putArray("groups");
    for (String g : byGroup.keySet()) {
      if (!g.isEmpty()) {
        groups.add(groupNode(g));
      }
    }
    for (String g : createOnlyGroups()) {
      groups.add(groupNode(g));
    }
    return n;
  }

  /** {@code GET /apis/<group>}. */
  public ObjectNode apiGroup(String group) {
    ObjectNode n = groupNode(group);
    n.put("kind", "APIGroup");
    n.put("apiVersion", "v1");
    return n;
  }

  private ObjectNode groupNode(String group) {
    ObjectNode g = F.objectNode();
    g.put("name", group);
    ObjectNode v = F.objectNode();
    v.put("groupVersion", group + "/v1");
    v.put("version", "v1");
    g.putArray("versions").add(v);
    g.set("preferredVersion", v.deepCopy());
    return g;
  }

  /** {@code GET /api/v1} or {@code /apis/<group>/v1}: the resources with their subresources. */
  public ObjectNode apiResourceList(String group) {
    ObjectNode n = F.objectNode();
    n.put("kind", "APIResourceList");
    n.put("apiVersion", "v1");
    n.put("groupVersion", group.isEmpty() ? "v1" : group + "/v1");
    ArrayNode rs = n.putArray("resources");
    for (ResourceType t : byGroup.getOrDefault(group, List.of())) {
      ObjectNode r = rs.addObject();
      r.put("name", t.plural());
      r.put("singularName", t.singular());
      r.put("namespaced", t.namespaced());
      r.put("kind", t.kind());
      strings(r.putArray("verbs"), VERBS);
      if (!t.shortNames().isEmpty()) {
        strings(r.putArray("shortNames"), t.shortNames());
      }
      if (!t.categories().isEmpty()) {
        strings(r.putArray("categories"), t.categories());
      }
      for (Subresource s : Subresource.of(t)) {
        ObjectNode sr = rs.addObject();
        sr.put("name", t.plural() + "/" + s.path());
        sr.put("singularName", "");
        sr.put("namespaced", t.namespaced());
        if (s == Subresource.SCALE) {
          sr.put("group", "autoscaling");
          sr.put("version", "v1");
          sr.put("kind", "Scale");
        } else if (s == Subresource.BINDING) {
          sr.put("kind", "Binding");
        } else if (s == Subresource.EXEC) {
          sr.put("kind", "PodExecOptions");
        } else if (s == Subresource.TOKEN) {
          sr.put("group", "authentication.k8s.io");
          sr.put("version", "v1");
          sr.put("kind", "TokenRequest");
        } else {
          sr.put("kind", t.kind());
        }
        strings(sr.putArray("verbs"), s.verbs());
      }
    }
    for (CreateOnly c : createOnly(group)) {
      ObjectNode r = rs.addObject();
      r.put("name", c.plural());
      r.put("singularName", c.singular());
      r.put("namespaced", false);
      r.put("kind", c.kind());
      strings(r.putArray("verbs"), CREATE);
    }
    return n;
  }

  /** {@code GET /api} (core only) or {@code /apis} (every named group), aggregated v2. */
  public ObjectNode aggregated(boolean core) {
    ObjectNode n = F.objectNode();
    n.put("kind", "APIGroupDiscoveryList");
    n.put("apiVersion", "apidiscovery.k8s.io/v2");
    n.putObject("metadata");
    ArrayNode items = n.putArray("items");
    for (Map.Entry<String, List<ResourceType>> e : byGroup.entrySet()) {
      if (e.getKey().isEmpty() != core) {
        continue;
      }
      ObjectNode g = items.addObject();
      ObjectNode md = g.putObject("metadata");
      md.put("name", e.getKey());
      ObjectNode v = g.putArray("versions").addObject();
      v.put("version", "v1");
      v.put("freshness", "Current");
      ArrayNode rs = v.putArray("resources");
      for (ResourceType t : e.getValue()) {
        ObjectNode r = rs.addObject();
        r.put("resource", t.plural());
        r.set("responseKind", gvk(t.group(), t.kind()));
        r.put("scope", t.namespaced() ? "Namespaced" : "Cluster");
        r.put("singularResource", t.singular());
        strings(r.putArray("verbs"), VERBS);
        if (!t.shortNames().isEmpty()) {
          strings(r.putArray("shortNames"), t.shortNames());
        }
        if (!t.categories().isEmpty()) {
          strings(r.putArray("categories"), t.categories());
        }
        List<Subresource> subs = Subresource.of(t);
        if (!subs.isEmpty()) {
          ArrayNode sa = r.putArray("subresources");
          for (Subresource s : subs) {
            ObjectNode sr = sa.addObject();
            sr.put("subresource", s.path());
            sr.set("responseKind", switch (s) {
              case SCALE -> gvk("autoscaling", "Scale");
              case BINDING -> gvk("", "Binding");
              case STATUS -> gvk(t.group(), t.kind());
              case TOKEN -> gvk("authentication.k8s.io", "TokenRequest");
              case LOG -> gvk("", "Pod");
              case EXEC -> gvk("", "PodExecOptions");
            });
            strings(sr.putArray("verbs"), s.verbs());
          }
        }
      }
    }
    if (!core) {
      for (String group : createOnlyGroups()) {
        ObjectNode g = items.addObject();
        g.putObject("metadata").put("name", group);
        ObjectNode v = g.putArray("versions").addObject();
        v.put("version", "v1");
        v.put("freshness", "Current");
        ArrayNode rs = v.putArray("resources");
        for (CreateOnly c : createOnly(group)) {
          ObjectNode r = rs.addObject();
          r.put("resource", c.plural());
          r.set("responseKind", gvk(group, c.kind()));
          r.put("scope", "Cluster");
          r.put("singularResource", c.singular());
          strings(r.putArray("verbs"), CREATE);
        }
      }
    }
    return n;
  }

  private static ObjectNode gvk(String group, String kind) {
    ObjectNode k = F.objectNode();
    k.put("group", group);
    k.put("version", "v1");
    k.put("kind", kind);
    return k;
  }

  private static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }

  public ResourceRegistry registry() {
    return registry;
  }
}
