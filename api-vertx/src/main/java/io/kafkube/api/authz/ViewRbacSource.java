package io.kafkube.api.authz;

import io.kafkube.api.http.Json;
import io.kafkube.api.view.StateView;
import io.kafkube.schemas.resource.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.generic.GenericRecord;

/** Roles and bindings read from the API server's own view of the state. */
public final class ViewRbacSource implements RbacSource {
  private static final String GROUP = "rbac.authorization.k8s.io";

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
      out.add(Binding.fromJson(Json.object(r)));
    }
    return out;
  }

  @Override
  public Optional<List<PolicyRule>> clusterRole(String name) {
    return rules(clusterRoles, null, name);
  }

  @Override
  public Optional<List<PolicyRule>> role(String namespace, String name) {
    return rules(roles, namespace, name);
  }

  private Optional<List<PolicyRule>> rules(ResourceType type, String namespace, String name) {
    GenericRecord r = view.get(type.key(namespace, name));
    return r == null ? Optional.empty() : Optional.of(PolicyRule.fromRole(Json.object(r)));
  }
}
