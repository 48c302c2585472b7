package io.kafkube.api.authz;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkube.api.http.Json;
import io.kafkube.api.view.StateView;
import io.kafkube.schemas.meta.Meta;
import io.kafkube.schemas.resource.ResourceType;
import io.kafkube.schemas.validation.SelectorValidation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.avro.generic.GenericRecord;

/**
 * Roles and bindings read from the API server's own view of the state. Each object is converted
 * once: the parsed form is kept with the record it came from and reused while the view still holds
 * that same record (the view replaces a record on every change).
 */
public final class ViewRbacSource implements RbacSource {
  private static final String GROUP = "rbac.authorization.k8s.io";
  /** Past this many cached objects (deleted ones included) the cache starts over. */
  private static final int MAX_CACHED = 50_000;

  private record Parsed(GenericRecord source, Object value) {}

  private final Map<String, Parsed> cache = new ConcurrentHashMap<>();

  private final StateView view;
  private final ResourceType roles;
  private final ResourceType clusterRoles;
  private final ResourceType roleBindings;
  private final ResourceType clusterRoleBindings;

  public ViewRbacSource(StateView view) {
    this.view = view;
    this.roles = type(view, "roles");
    this.clusterRoles = type(view, "clusterroles");
    this.roleBindings = type(view, "rolebindings");
    this.clusterRoleBindings = type(view, "clusterrolebindings");
  }

  private static ResourceType type(StateView view, String plural) {
    return view.registry().byPlural(GROUP, plural).orElseThrow();
  }

  @Override
  public List<Binding> clusterRoleBindings() {
    return bindings(clusterRoleBindings, null);
  }

  @Override
  public List<Binding> roleBindings(String namespace) {
    return bindings(roleBindings, namespace);
  }

  private List<Binding> bindings(ResourceType type, String namespace) {
    List<Binding> out = new ArrayList<>();
    for (GenericRecord r : view.list(type, namespace, x -> true, null, 0).items()) {
      out.add(parsed(type, r, Binding::fromJson));
    }
    return out;
  }

  /**
   * A ClusterRole's rules; one with an {@code aggregationRule} also has the rules of every ClusterRole
   * its selectors match, as the clusterrole-aggregation controller would write them into it.
   */
  @Override
  public Optional<List<PolicyRule>> clusterRole(String name) {
    GenericRecord r = view.get(clusterRoles.key(null, name));
    if (r == null) {
      return Optional.empty();
    }
    List<PolicyRule> own = parsed(clusterRoles, r, PolicyRule::fromRole);
    GenericRecord rule = (GenericRecord) r.get("aggregationRule");
    List<?> selectors = rule == null ? null : (List<?>) rule.get("clusterRoleSelectors");
    if (selectors == null || selectors.isEmpty()) {
      return Optional.of(own);
    }
    java.util.Set<PolicyRule> all = new java.util.LinkedHashSet<>(own);
    for (GenericRecord other : view.list(clusterRoles, null, x -> true, null, 0).items()) {
      if (other == r) {
        continue;
      }
      Map<String, String> labels = Meta.labels(other);
      for (Object sel : selectors) {
        if (SelectorValidation.matches((GenericRecord) sel, labels)) {
          all.addAll(parsed(clusterRoles, other, PolicyRule::fromRole));
          break;
        }
      }
    }
    return Optional.of(List.copyOf(all));
  }

  @Override
  public Optional<List<PolicyRule>> role(String namespace, String name) {
    return rules(roles, namespace, name);
  }

  private Optional<List<PolicyRule>> rules(ResourceType type, String namespace, String name) {
    GenericRecord r = view.get(type.key(namespace, name));
    return r == null ? Optional.empty() : Optional.of(parsed(type, r, PolicyRule::fromRole));
  }

  @SuppressWarnings("unchecked")
  private <T> T parsed(ResourceType type, GenericRecord r, Function<JsonNode, T> parse) {
    String key = type.key(type.namespaced() ? Meta.namespace(r) : null, Meta.name(r)).toString();
    Parsed p = cache.get(key);
    if (p == null || p.source() != r) {
      if (cache.size() >= MAX_CACHED) {
        cache.clear();
      }
      p = new Parsed(r, parse.apply(Json.object(r)));
      cache.put(key, p);
    }
    return (T) p.value();
  }
}
